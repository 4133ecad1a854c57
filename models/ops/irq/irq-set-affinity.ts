/*
 * models/ops/irq/irq-set-affinity.ts - irq_set_affinity(), or an admin writing
 *   /proc/irq/N/smp_affinity_list (kernel/irq/manage.c)
 */
import { z } from 'zod';
import { irqSetAffinity } from '../../kernel/irq/manage.ts';
import { cpus, nat } from '../args.ts';
import { cpuList } from '../guards.ts';
import { anyVirqs, liveIrqs } from '../handles.ts';
import { representative } from './representative.ts';
import { mask } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqSetAffinity',
  z.object({ virq: nat, cpus, fromUser: z.boolean() }),
)({
  step: (w, o) => irqSetAffinity(w, o.virq, o.cpus, o.fromUser),
  render: (_w, o) =>
    o.fromUser
      ? `echo ${o.cpus.join(',')} > /proc/irq/${o.virq}/smp_affinity_list`
      : `irq_set_affinity(${o.virq}, ${mask(o.cpus)})`,
  // the affinity of a managed irq is the kernel's: a driver does not set it
  candidates: (w, mode) =>
    mode === 'legal'
      ? liveIrqs(w)
          .filter((v) => !v.managed)
          .map((v) => v.virq)
      : anyVirqs(w),
  build: (w, _m, c, virq) => ({ type: 'irqSetAffinity', virq, cpus: c.subset(cpuList(w)), fromUser: c.oneIn(3) }),
  handle: (virq) => ({ virq }),
  // an admin moves a device's first interrupt that has a handler, to the first or the last CPU
  explore: (w, virq) =>
    representative(w).has(virq)
      ? [0, w.cpuOnline.length - 1].map((cpu) => ({ type: 'irqSetAffinity', virq, cpus: [cpu], fromUser: false }))
      : [],
});
