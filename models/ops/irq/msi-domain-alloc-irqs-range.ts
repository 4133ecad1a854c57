/*
 * models/ops/irq/msi-domain-alloc-irqs-range.ts - msi_domain_alloc_irqs_range(): 6.2 a range of a per-
 *   device MSI domain (kernel/irq/msi.c)
 */
import { z } from 'zod';
import { msiDomainAllocIrqsRange } from '../../kernel/irq/msi.ts';
import { domid, failPoint, nat } from '../args.ts';
import { maybeFail } from '../choices.ts';
import { IMS_TEST_HWSIZE, testBound, v62 } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName, domidName, inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'msiDomainAllocIrqsRange',
  z.object({ dev: nat, domid, first: nat, last: nat, fail: failPoint }),
)({
  step: (w, o) => msiDomainAllocIrqsRange(w, o.dev, o.domid, o.first, o.last, o.fail),
  render: (w, o) =>
    `msi_domain_alloc_irqs_range(${deviceName(w, o.dev)}, ${domidName(o.domid)}, ${o.first}, ${o.last})${inject(o.fail)}`,
  candidates: (w, mode) =>
    v62(w)
      ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter((d) => (d.msiData?.domains[1] ?? null) !== null)
      : [],
  build: (_w, mode, c, d) => {
    const first = c.int(0, mode === 'legal' ? IMS_TEST_HWSIZE - 3 : IMS_TEST_HWSIZE);
    return {
      type: 'msiDomainAllocIrqsRange',
      dev: d.id,
      domid: 1,
      first,
      last: first + c.int(0, 2),
      fail: maybeFail(c),
    };
  },
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
