import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import * as kpi from './kpi.ts';

export function register(app: App, deps: ListenerDeps): void {
  kpi.register(app, deps);
}
