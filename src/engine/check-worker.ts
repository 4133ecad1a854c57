/*
 * src/engine/check-worker.ts - one campaign in a worker thread (compare runs its columns in
 * parallel, one worker per core); the result goes back as plain data
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCheck, type CheckSpec } from './check.ts';

const run = runCheck(workerData as CheckSpec);
parentPort!.postMessage({ runs: run.runs, steps: run.steps, counterexamples: run.counterexamples, outcomes: run.outcomes });
