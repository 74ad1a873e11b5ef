#!/usr/bin/env node
// `npm start` (src/main.ts) in this process, so signals reach the app directly: built
// JavaScript when current, else the sources (launch.js).
import { launch } from './launch.js';

await launch('main');
