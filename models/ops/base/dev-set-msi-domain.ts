/*
 * models/ops/base/dev-set-msi-domain.ts - dev_set_msi_domain(): a device's MSI domain pointer is set
 *   (include/linux/device.h)
 */
import { z } from 'zod';
import { TEST_DRIVER, devSetMsiDomain } from '../../drivers/base/device.ts';
import { nat } from '../args.ts';
import { allDomainIds, liveDevices } from '../handles.ts';
import { deviceName, domainName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'devSetMsiDomain',
  z.object({ dev: nat, domain: nat.nullable() }),
)({
  step: (w, o) => devSetMsiDomain(w, o.dev, o.domain),
  render: (w, o) => `dev_set_msi_domain(${deviceName(w, o.dev)}, ${domainName(w, o.domain)})`,
  candidates: (w, mode) => {
    if (mode === 'any') return liveDevices(w);
    const targets = Object.values(w.domains).some((d) => d.busToken === 'PLATFORM_MSI');
    // a device another driver owns (the mbigen) is not the generic caller's to repoint
    return targets
      ? liveDevices(w).filter(
          (d) =>
            d.bus === 'platform' &&
            d.platformDevid === null &&
            (d.msiData?.platformDevid ?? null) === null &&
            (d.driver === null || d.driver === TEST_DRIVER),
        )
      : [];
  },
  build: (w, mode, c, d) => {
    const plat = Object.values(w.domains)
      .filter((x) => x.busToken === 'PLATFORM_MSI')
      .map((x) => x.id);
    const domain = mode === 'legal' ? c.pick(plat) : c.oneIn(6) ? null : c.pick([...allDomainIds(w)]);
    return { type: 'devSetMsiDomain', dev: d.id, domain };
  },
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
