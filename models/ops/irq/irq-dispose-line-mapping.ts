/*
 * models/ops/irq/irq-dispose-line-mapping.ts - the last user of a line mapping disposes of it:
 *   irq_dispose_mapping() (kernel/irq/irqdomain.c)
 */
import { z } from 'zod';
import { TEST_DRIVER } from '../../drivers/base/device.ts';
import { irqDisposeLineMapping, lineIrqHolders } from '../../kernel/irq/irq-mapping.ts';
import { nat } from '../args.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqDisposeLineMapping',
  z.object({ dev: nat }),
)({
  step: (w, o) => irqDisposeLineMapping(w, o.dev),
  render: (w, o) => `irq_dispose_mapping(${w.lineIrqs[o.dev] ?? '?'})  # ${deviceName(w, o.dev)}`,
  // the last user of a mapping disposes of it, with no handler left on it
  candidates: (w, mode) =>
    Object.entries(w.lineIrqs)
      .map(([dev, virq]) => ({ dev: Number(dev), virq }))
      .filter(
        (x) =>
          mode === 'any' ||
          (w.devices[x.dev]?.driver === TEST_DRIVER &&
            lineIrqHolders(w, x.virq).length === 1 &&
            !w.irqs[x.virq]?.action),
      )
      .map((x) => w.devices[x.dev]!),
  build: (_w, _m, _c, d) => ({ type: 'irqDisposeLineMapping', dev: d.id }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
