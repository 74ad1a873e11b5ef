import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import * as alertButtons from './alert-buttons.ts';
import * as postToChannel from './post-to-channel.ts';
import * as runRetry from './run-retry.ts';

export function register(app: App, deps: ListenerDeps): void {
  postToChannel.register(app, deps);
  alertButtons.register(app, deps);
  runRetry.register(app, deps);
}
