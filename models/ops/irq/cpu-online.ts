/*
 * models/ops/irq/cpu-online.ts - cpu_up(): a CPU comes back online (kernel/irq/cpuhotplug.c)
 */
import { z } from 'zod';
import { cpuOnline } from '../../kernel/irq/cpuhotplug.ts';
import { nat } from '../args.ts';
import { cpuList } from '../guards.ts';
import { afterHotplug } from './hotplug.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'cpuOnline',
  z.object({ cpu: nat }),
)({
  step: (w, o) => afterHotplug(cpuOnline(w, o.cpu), o.cpu, true),
  render: (_w, o) => `cpu_up(CPU${o.cpu})`,
  candidates: (w) => cpuList(w).filter((c) => !w.cpuOnline[c]),
  build: (_w, _m, _c, cpu) => ({ type: 'cpuOnline', cpu }),
  handle: (cpu) => ({ cpu }),
  // the lowest offline CPU
  explore: (w, cpu) => (cpu === w.cpuOnline.flatMap((on, i) => (on ? [] : [i]))[0] ? [{ type: 'cpuOnline', cpu }] : []),
});
