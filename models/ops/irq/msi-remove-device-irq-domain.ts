/*
 * models/ops/irq/msi-remove-device-irq-domain.ts - msi_remove_device_irq_domain(): 6.2 removes a per-
 *   device MSI domain (kernel/irq/msi.c)
 */
import { z } from 'zod';
import { TEST_DRIVER } from '../../drivers/base/device.ts';
import { msiRemoveDeviceIrqDomain } from '../../kernel/irq/msi.ts';
import { domid, nat } from '../args.ts';
import { v62 } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName, domidName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'msiRemoveDeviceIrqDomain',
  z.object({ dev: nat, domid }),
)({
  step: (w, o) => msiRemoveDeviceIrqDomain(w, o.dev, o.domid),
  render: (w, o) => `msi_remove_device_irq_domain(${deviceName(w, o.dev)}, ${domidName(o.domid)})`,
  candidates: (w, mode) =>
    v62(w)
      ? liveDevices(w).flatMap((d) =>
          ([0, 1] as const)
            .filter((domid) => (d.msiData?.domains[domid] ?? null) !== null)
            .filter(
              (domid) =>
                mode === 'any' ||
                (domid === 1 && d.driver === TEST_DRIVER && Object.keys(d.msiData!.stores[1]).length === 0),
            )
            .map((domid) => ({ dev: d.id, domid })),
        )
      : [],
  build: (_w, _m, _c, x) => ({ type: 'msiRemoveDeviceIrqDomain', ...x }),
  handle: (x) => x,
  explore: 'variants',
});
