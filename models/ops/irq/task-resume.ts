/*
 * models/ops/irq/task-resume.ts - a task in flight gets the CPU back
 *   (models/kernel/irq/concurrency.ts)
 */
import { z } from 'zod';
import { describeTask, taskResume, tasksOf } from '../../kernel/irq/concurrency.ts';
import { nat } from '../args.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'taskResume',
  z.object({ task: nat }),
)({
  step: (w, o) => taskResume(w, o.task),
  render: (w, o) => {
    const t = tasksOf(w).find((x) => x.id === o.task);
    return `<task #${o.task} resumes${t ? `: ${describeTask(w, t)}` : ''}>`;
  },
  candidates: (w) => tasksOf(w).map((t) => t.id),
  build: (_w, _m, _c, task) => ({ type: 'taskResume', task }),
  handle: (task) => ({ task }),
  // the number also counts as an irq key among recently touched handles (the generator has always
  // matched it so; kept, as it decides which candidate seeded runs pick)
  recentKeys: (x) => [`virq:${x}`],
  explore: 'variants',
});
