// A fixed fast-check seed: test names (@fast-check/vitest puts the seed in them) and runs are
// reproducible. CI can vary it with FC_SEED.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20200805) });
