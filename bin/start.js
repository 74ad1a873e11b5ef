#!/usr/bin/env node
// `npm start`: runs src/main.ts through tsx in this process (signals reach the app directly).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
