#!/usr/bin/env node
// `npx arbiter …`: Node 20 cannot run TypeScript itself, so register tsx's loader, then run the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('./main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
