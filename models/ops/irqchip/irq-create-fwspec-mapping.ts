/*
 * models/ops/irqchip/irq-create-fwspec-mapping.ts - irq_create_fwspec_mapping(): a consumer maps a
 *   wired pin of an mbigen (kernel/irq/irqdomain.c)
 */
import { z } from 'zod';
import { irqCreateFwspecMapping, mbigenMapping, mbigenPins } from '../../drivers/irqchip/mbigen.ts';
import { recValues } from '../../world/util.ts';
import { nat } from '../args.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqCreateFwspecMapping',
  z.object({ dev: nat, pin: z.number().int() }),
)({
  step: (w, o) => irqCreateFwspecMapping(w, o.dev, o.pin),
  render: (w, o) => `irq_create_fwspec_mapping(${deviceName(w, o.dev)}, pin ${o.pin})`,
  // a consumer of a wired pin of an mbigen: legal ones map pins not yet mapped (a second
  // lookup returns the same virq); a careless one also names a pin beyond the mbigen's
  candidates: (w, mode) => {
    if (!w.platform.its) return [];
    return recValues(w.domains)
      .filter((d) => d.kind === 'mbigen' && d.dev !== null)
      .flatMap((d) => {
        const pins = mbigenPins(w, d.dev!);
        return Array.from({ length: mode === 'legal' ? pins : pins + 1 }, (_, pin) => ({ dev: d.dev!, pin })).filter(
          (x) => mode === 'any' || mbigenMapping(w, d.id, x.pin) === null,
        );
      });
  },
  build: (_w, _m, _c, x) => ({ type: 'irqCreateFwspecMapping', ...x }),
  handle: (x) => x,
  explore: 'variants',
});
