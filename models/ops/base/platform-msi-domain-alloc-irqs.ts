/*
 * models/ops/base/platform-msi-domain-alloc-irqs.ts - platform_msi_domain_alloc_irqs(): a platform
 *   device's MSIs (drivers/base/platform-msi.c)
 */
import { z } from 'zod';
import { platformMsiDomainAllocIrqs } from '../../drivers/base/platform-msi.ts';
import { failPoint, nat } from '../args.ts';
import { maybeFail } from '../choices.ts';
import { testBound } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName, inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'platformMsiDomainAllocIrqs',
  z.object({ dev: nat, nvec: z.number().int(), fail: failPoint }),
)({
  step: (w, o) => platformMsiDomainAllocIrqs(w, o.dev, o.nvec, o.fail),
  render: (w, o) => `platform_msi_domain_alloc_irqs(${deviceName(w, o.dev)}, ${o.nvec}, write_msg)${inject(o.fail)}`,
  candidates: (w, mode) =>
    mode === 'legal'
      ? testBound(w).filter(
          (d) =>
            d.bus === 'platform' &&
            d.msiDomain !== null &&
            w.domains[d.msiDomain]?.busToken === 'PLATFORM_MSI' &&
            d.platformDevid === null &&
            (d.msiData?.platformDevid ?? null) === null,
        )
      : liveDevices(w),
  build: (_w, _m, c, d) => ({ type: 'platformMsiDomainAllocIrqs', dev: d.id, nvec: c.int(1, 4), fail: maybeFail(c) }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
