/*
 * src/bench/measure.ts - what every bench engine reports, and how its time is taken
 *
 * Time to detect is CPU time (user + system) from process.cpuUsage(): Node 20 has no
 * process.threadCpuUsage(), and the search runs on the main thread alone, so the process's CPU
 * time is the searching thread's plus a little of V8's helper threads (GC, compiler). Unlike
 * wall-clock time it does not grow when other processes share the machine.
 */
export interface EngineRun {
  readonly detected: boolean;
  /** 1-based run (generated sequence) of the first detection */
  readonly runsToDetect: number | null;
  /** model steps (step() calls) executed up to and including the one that broke an invariant */
  readonly stepsToDetect: number | null;
  /** model steps the search executed before it stopped (found something, or spent its budget) */
  readonly stepsUsed: number;
  /** CPU ms from the start of the search to its first violation (before shrinking); timing only */
  readonly cpuMsToDetect: number | null;
  readonly shrunkLength: number | null;
  /** certified shortest counterexample length (exhaustive search), null when unknown */
  readonly shortestLength: number | null;
  readonly invariant: string | null;
}

/** CPU milliseconds since @since (a process.cpuUsage() reading) */
export const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

export const notDetected = (stepsUsed: number): EngineRun => ({
  detected: false,
  runsToDetect: null,
  stepsToDetect: null,
  stepsUsed,
  cpuMsToDetect: null,
  shrunkLength: null,
  shortestLength: null,
  invariant: null,
});
