/*
 * models/ops/base/platform-msi-domain-free-irqs.ts - platform_msi_domain_free_irqs(): a platform
 *   device's MSIs are freed (drivers/base/platform-msi.c)
 */
import { z } from 'zod';
import { platformMsiDomainFreeIrqs } from '../../drivers/base/platform-msi.ts';
import { nat } from '../args.ts';
import { testBound } from '../guards.ts';
import { deviceVirqs, liveDevices } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'platformMsiDomainFreeIrqs',
  z.object({ dev: nat }),
)({
  step: (w, o) => platformMsiDomainFreeIrqs(w, o.dev),
  render: (w, o) => `platform_msi_domain_free_irqs(${deviceName(w, o.dev)})`,
  candidates: (w, mode) =>
    mode === 'legal'
      ? testBound(w).filter(
          (d) =>
            (d.platformDevid !== null || (d.msiData?.platformDevid ?? null) !== null) &&
            !deviceVirqs(w, d.id).some((v) => v.action),
        )
      : liveDevices(w),
  build: (_w, _m, _c, d) => ({ type: 'platformMsiDomainFreeIrqs', dev: d.id }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
