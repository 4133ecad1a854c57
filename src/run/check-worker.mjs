// Worker-thread entry: load the TypeScript sources through tsx, then run one campaign
// (src/run/check-worker.ts). A worker does not inherit the parent's module hooks.
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

// ESM and CommonJS hooks: a user's design file outside a "type": "module" package is CommonJS
register();
registerCjs();
await import('./check-worker.ts');
