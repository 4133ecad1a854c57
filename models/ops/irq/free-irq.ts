/*
 * models/ops/irq/free-irq.ts - free_irq(): a handler is removed (kernel/irq/manage.c)
 */
import { z } from 'zod';
import { TEST_DRIVER } from '../../drivers/base/device.ts';
import { freeIrq } from '../../kernel/irq/manage.ts';
import { nat } from '../args.ts';
import { anyVirqs, hasPlainAction, liveIrqs } from '../handles.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'freeIrq',
  z.object({ virq: nat }),
)({
  step: (w, o) => freeIrq(w, o.virq),
  render: (_w, o) => `free_irq(${o.virq})`,
  candidates: (w, mode) =>
    mode === 'legal'
      ? liveIrqs(w)
          .filter(
            (v) =>
              hasPlainAction(v) &&
              v.owner?.kind !== 'dmar' &&
              (v.action!.dev === null || w.devices[v.action!.dev]?.driver === TEST_DRIVER),
          )
          .map((v) => v.virq)
      : anyVirqs(w),
  build: (_w, _m, _c, virq) => ({ type: 'freeIrq', virq }),
  handle: (virq) => ({ virq }),
  explore: 'variants',
});
