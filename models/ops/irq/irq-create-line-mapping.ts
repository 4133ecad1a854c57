/*
 * models/ops/irq/irq-create-line-mapping.ts - a driver maps its interrupt line:
 *   irq_create_fwspec_mapping() (kernel/irq/irqdomain.c)
 */
import { z } from 'zod';
import { MAX_TASKS, tasksOf } from '../../kernel/irq/concurrency.ts';
import { irqCreateLineMapping, irqLineOf } from '../../kernel/irq/irq-mapping.ts';
import type { Device } from '../../world/types.ts';
import { nat } from '../args.ts';
import { testBound } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqCreateLineMapping',
  z.object({ dev: nat }),
)({
  step: (w, o) => irqCreateLineMapping(w, o.dev),
  render: (w, o) =>
    `irq_create_fwspec_mapping(${deviceName(w, o.dev)}'s line: pin ${w.config.devices[o.dev]?.irqLine ?? '?'})`,
  // a driver maps its interrupt line once (platform_get_irq() in probe); only with a wired controller
  candidates: (w, mode) => {
    if (!w.config.wired || tasksOf(w).length >= MAX_TASKS) return [];
    const busy = (d: Device) => tasksOf(w).some((t) => t.kind === 'fwspec-mapping' && t.dev === d.id);
    const devs =
      mode === 'legal' ? testBound(w).filter((d) => w.lineIrqs[d.id] === undefined && !busy(d)) : liveDevices(w);
    return devs.filter((d) => irqLineOf(w, d.id) !== null);
  },
  build: (_w, _m, _c, d) => ({ type: 'irqCreateLineMapping', dev: d.id }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
