// Worker-thread entry: load the TypeScript sources through tsx, then run one campaign
// (src/engine/check-worker.ts). A worker does not inherit the parent's module hooks.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
