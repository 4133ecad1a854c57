/*
 * models/world/tasks.ts - the kernel paths in flight (World.inflight): what each task has read
 * before its window, and how a task is recorded and forgotten
 *
 * The records are plain data (their types are in ./types.ts with the rest of the world); the
 * finishers and taskResume() are in models/kernel/irq/concurrency.ts, which explains the scheme.
 */
import type { InFlight, NewTask, TaskId, World } from './types.ts';

export type { InFlight, NewTask, TaskId } from './types.ts';

/** at most this many tasks in flight at once (each one is a blocked kernel thread or reader) */
export const MAX_TASKS = 2;

export const tasksOf = (w: World): readonly InFlight[] => w.inflight;

/** record a task in flight; the task id is returned with the world */
export function beginTask(w: World, t: NewTask): { w: World; id: TaskId } {
  const id = w.nextTask;
  return { w: { ...w, inflight: [...tasksOf(w), { ...t, id } as InFlight], nextTask: id + 1 }, id };
}

/** the task is done: forget it */
export function endTask(w: World, id: TaskId): World {
  return { ...w, inflight: tasksOf(w).filter((t) => t.id !== id) };
}
