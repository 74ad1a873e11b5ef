#!/usr/bin/env node
// The `kpibot` command (src/cli.ts): built JavaScript when current, else the sources (launch.js).
import { launch } from './launch.js';

await launch('cli');
