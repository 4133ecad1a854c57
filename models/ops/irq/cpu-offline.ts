/*
 * models/ops/irq/cpu-offline.ts - cpu_down(): a CPU goes offline and its interrupts move
 *   (kernel/irq/cpuhotplug.c)
 */
import { z } from 'zod';
import { cpuOffline } from '../../kernel/irq/cpuhotplug.ts';
import { onlineCpus } from '../../world/world.ts';
import { nat } from '../args.ts';
import { afterHotplug } from './hotplug.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'cpuOffline',
  z.object({ cpu: nat }),
)({
  step: (w, o) => afterHotplug(cpuOffline(w, o.cpu), o.cpu, false),
  render: (_w, o) => `cpu_down(CPU${o.cpu})`,
  candidates: (w) => (onlineCpus(w).length > 1 ? onlineCpus(w) : []),
  build: (_w, _m, _c, cpu) => ({ type: 'cpuOffline', cpu }),
  // a CPU some irq has a vector on (its target, or the old one of a move not cleaned up yet)
  prefer: (w, cpu) => (w.matrix.maps[cpu]?.allocMap.length ?? 0) > 0,
  handle: (cpu) => ({ cpu }),
  // CPUs 1.. are alike until an affinity tells them apart: offline the highest online one, or the boot CPU
  explore: (w, cpu) => {
    const online = w.cpuOnline.flatMap((on, i) => (on ? [i] : []));
    return cpu === online[online.length - 1] || cpu === 0 ? [{ type: 'cpuOffline', cpu }] : [];
  },
});
