// A fixed fast-check seed: test names (@fast-check/vitest puts the seed in them) and runs are
// reproducible. CI can vary it with FC_SEED.
import fc from 'fast-check';
// the composition root: fills the ops tables, for tests that call kernel functions directly
import './models/machine/index.ts';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20200805) });
