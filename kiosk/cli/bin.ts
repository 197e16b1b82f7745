#!/usr/bin/env node
/** `hall-kiosk` entry point (compiled to dist/server/cli.js; `npm run hall-kiosk -- <verb>` in a checkout). */
import { cliMain } from './main.ts';

await cliMain(process.argv.slice(2));
