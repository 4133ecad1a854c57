#!/usr/bin/env node
// irqcheck launcher: loads the TypeScript sources through tsx (no build step)
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
