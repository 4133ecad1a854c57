/*
 * models/ops/irq/request-irq.ts - request_irq() / devm_request_irq(): a handler is installed
 *   (kernel/irq/manage.c)
 */
import { z } from 'zod';
import { TEST_DRIVER } from '../../drivers/base/device.ts';
import { requestIrq } from '../../kernel/irq/manage.ts';
import { nat } from '../args.ts';
import { anyVirqs, irqDevice, liveIrqs } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'requestIrq',
  z.object({ virq: nat, dev: nat.nullable(), devm: z.boolean() }),
)({
  step: (w, o) => requestIrq(w, o.virq, o.dev, o.devm),
  render: (w, o) =>
    o.devm && o.dev !== null
      ? `devm_request_irq(${deviceName(w, o.dev)}, ${o.virq})`
      : `request_irq(${o.virq}${o.dev !== null ? `, dev_id=${deviceName(w, o.dev)}` : ''})`,
  candidates: (w, mode) =>
    mode === 'legal'
      ? liveIrqs(w)
          .filter((v) => {
            if (v.action || v.owner?.kind === 'dmar') return false;
            const dev = irqDevice(w, v);
            return dev === null || (w.devices[dev]!.driver === TEST_DRIVER && !w.devices[dev]!.released);
          })
          .map((v) => v.virq)
      : anyVirqs(w),
  build: (w, mode, c, virq) => {
    const d = w.irqs[virq];
    const dev = d ? irqDevice(w, d) : null;
    // devm only for PCI MSI/MSI-X vectors: a devm IMS or platform-MSI handler could never be
    // freed before its interrupt, so a legal driver could not unbind any more
    const desc = d?.owner?.kind === 'msi' ? w.descs[d.owner.desc] : undefined;
    const devmOk =
      dev !== null && w.devices[dev]!.driver !== null && w.devices[dev]!.bus === 'pci' && desc?.domid === 0;
    const devm = devmOk && c.oneIn(2);
    return { type: 'requestIrq', virq, dev, devm: mode === 'legal' ? devm : devm || (dev !== null && c.oneIn(3)) };
  },
  handle: (virq) => ({ virq }),
  explore: 'variants',
});
