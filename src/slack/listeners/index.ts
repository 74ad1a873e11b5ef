// The app's whole Slack surface on one screen; it matches manifest.yml.
//   /kpi …                        commands/kpi.ts
//   "Post to channel" button      actions/post-to-channel.ts
import type { App } from '@slack/bolt';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import type { ListenerDeps } from './deps.ts';

export type { ListenerDeps } from './deps.ts';

export function registerListeners(app: App, deps: ListenerDeps): void {
  commands.register(app, deps);
  actions.register(app, deps);
}
