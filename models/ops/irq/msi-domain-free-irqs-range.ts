/*
 * models/ops/irq/msi-domain-free-irqs-range.ts - msi_domain_free_irqs_range(): 6.2 frees a range of a
 *   per-device MSI domain (kernel/irq/msi.c)
 */
import { z } from 'zod';
import { TEST_DRIVER } from '../../drivers/base/device.ts';
import { msiDomainFreeIrqsRange } from '../../kernel/irq/msi.ts';
import { domid, nat } from '../args.ts';
import { IMS_TEST_HWSIZE, v62 } from '../guards.ts';
import { liveDevices, liveMaps } from '../handles.ts';
import { deviceName, domidName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'msiDomainFreeIrqsRange',
  z.object({ dev: nat, domid, first: nat, last: nat }),
)({
  step: (w, o) => msiDomainFreeIrqsRange(w, o.dev, o.domid, o.first, o.last),
  render: (w, o) => `msi_domain_free_irqs_range(${deviceName(w, o.dev)}, ${domidName(o.domid)}, ${o.first}, ${o.last})`,
  candidates: (w, mode) =>
    v62(w)
      ? liveDevices(w).flatMap((d) =>
          liveMaps(w, d.id, 1)
            .filter((m) => mode === 'any' || (d.driver === TEST_DRIVER && !w.irqs[m.irq]?.action))
            .map((m) => ({ dev: d.id, index: m.msiIndex })),
        )
      : [],
  build: (w, mode, c, x) => {
    // a legal caller frees only its own slots that have no handler installed
    const next = w.devices[x.dev]!.msiData!.stores[1][x.index + 1];
    const nextIrq = next === undefined ? 0 : w.descs[next]!.irq;
    const wider = x.index + 1 < IMS_TEST_HWSIZE && (mode === 'any' || !w.irqs[nextIrq]?.action);
    return {
      type: 'msiDomainFreeIrqsRange',
      dev: x.dev,
      domid: 1,
      first: x.index,
      last: x.index + (wider ? c.int(0, 1) : 0),
    };
  },
  handle: (x) => ({ dev: x.dev, first: x.index }),
  explore: 'variants',
});
