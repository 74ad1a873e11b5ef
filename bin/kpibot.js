#!/usr/bin/env node
// The `kpibot` command: runs src/cli.ts through tsx, so a fresh `npm ci` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
