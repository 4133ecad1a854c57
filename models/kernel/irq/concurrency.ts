/*
 * models/kernel/irq/concurrency.ts - races in a sequential model, the TLA+ way
 *
 * Every operation of the model is atomic. A kernel path that other tasks can overtake (no lock
 * held across a window) is split at that window into two atomic steps:
 *
 *   1. the operation that starts the path does the part before the window and records the path
 *      as a task in flight (World.inflight) with what it has already read (a pointer, a "no
 *      mapping yet" answer, a domain not yet finished);
 *   2. the rest of the path runs later, from that record, when either
 *      - the task gets the CPU back: the `taskResume` operation (the generator picks which
 *        task and when, so every interleaving with the other operations is reachable), or
 *      - an operation that waits for the task completes it at that point (kernfs_drain()
 *        waits for the active readers of a sysfs file before the file goes away).
 *
 * Between the two steps every other operation sees the intermediate state. Where the kernel
 * holds a lock across the whole path (irq_domain_mutex across lookup and create, with the fixes
 * of the 2023 irqdomain race series), the path stays one operation and no task is recorded. A
 * task only exists on a platform that runs such tasks (PlatformConfig.concurrency); elsewhere
 * the operations that start one are disabled, so the other platforms' runs are unchanged.
 *
 * The kinds of task:
 *   sysfs-read      a reader inside a msi_irqs/<irq> show() (kernfs active reference held),
 *                   holding the msi_desc it looked up (models/kernel/irq/msi-sysfs.ts)
 *   domain-create   irq_domain_create_hierarchy() between publishing the domain and setting its
 *                   parent (only before 8932c32c3053; models/kernel/irq/irqdomain.ts)
 *   fwspec-mapping  irq_create_fwspec_mapping() between "no mapping for this hwirq" and the
 *                   allocation of one (only before 601363cc08da; models/kernel/irq/irq-mapping.ts)
 */
import { match } from 'ts-pattern';
import type { World } from '../../world/types.ts';
import { tasksOf, type InFlight, type TaskId } from '../../world/tasks.ts';
import { err, type Outcome } from '../../world/outcome.ts';
import { msiIrqsShowFinish } from './msi-sysfs.ts';
import { irqDomainCreateFinish } from './irqdomain.ts';
import { irqCreateLineMappingFinish } from './irq-mapping.ts';

// the task records live in models/world/tasks.ts (World.inflight holds them); re-exported here
export { MAX_TASKS, beginTask, endTask, tasksOf } from '../../world/tasks.ts';
export type { InFlight, NewTask, TaskId } from '../../world/tasks.ts';

/**
 * taskResume() - task @id gets the CPU back and runs the rest of its path
 * The finisher of each kind forgets the task itself (also when the rest fails).
 */
export function taskResume(w: World, id: TaskId): Outcome<void> {
  const t = tasksOf(w).find((x) => x.id === id);
  if (!t) return err(w, 'EINVAL', `no task #${id} in flight`);
  return match(t)
    .returnType<Outcome<void>>()
    .with({ kind: 'sysfs-read' }, (x) => msiIrqsShowFinish(w, x))
    .with({ kind: 'domain-create' }, (x) => irqDomainCreateFinish(w, x))
    .with({ kind: 'fwspec-mapping' }, (x) => irqCreateLineMappingFinish(w, x))
    .exhaustive();
}

/** a task in words, for traces */
export function describeTask(w: World, t: InFlight): string {
  return match(t)
    .with({ kind: 'sysfs-read' }, (x) => `msi_irqs/${x.virq} reader of ${w.devices[x.dev]?.name ?? `device #${x.dev}`}`)
    .with({ kind: 'domain-create' }, (x) => `irq_domain_create_hierarchy(${w.domainNames[x.domain] ?? `#${x.domain}`})`)
    .with(
      { kind: 'fwspec-mapping' },
      (x) => `irq_create_fwspec_mapping(${w.devices[x.dev]?.name ?? `device #${x.dev}`}, hwirq ${x.hwirq})`,
    )
    .exhaustive();
}
