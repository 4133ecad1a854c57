/*
 * src/run/check-worker.ts - one campaign in a worker thread (compare runs its columns in
 * parallel, one worker per core); the result goes back as plain data
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCheck, type CheckSpec } from './check.ts';
import { loadDesignFile } from '../load/load-design.ts';

const spec = workerData as CheckSpec;
// a user's design is registered in this thread too
if (spec.designFile) await loadDesignFile(spec.designFile);
const run = runCheck(spec);
parentPort!.postMessage({
  runs: run.runs,
  steps: run.steps,
  counterexamples: run.counterexamples,
  outcomes: run.outcomes,
  opOutcomes: run.opOutcomes,
  ...(run.certify ? { certify: run.certify } : {}),
});
