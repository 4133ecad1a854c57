#!/usr/bin/env node
// irqcheck launcher: loads the TypeScript sources through tsx (no build step)
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

// ESM and CommonJS hooks: a user's design file outside a "type": "module" package is CommonJS
register();
registerCjs();
// a reader that went away (irqcheck invariants | head -1) is not an error
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
