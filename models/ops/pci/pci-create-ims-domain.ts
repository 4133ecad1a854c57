/*
 * models/ops/pci/pci-create-ims-domain.ts - pci_create_ims_domain(): 6.2 a driver creates its device's
 *   IMS domain (drivers/pci/msi/irqdomain.c)
 */
import { z } from 'zod';
import { pciCreateImsDomain } from '../../drivers/pci/msi.ts';
import { nat } from '../args.ts';
import { IMS_TEST_HWSIZE, pci, testBound, v62 } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'pciCreateImsDomain',
  z.object({ dev: nat, hwsize: nat }),
)({
  step: (w, o) => pciCreateImsDomain(w, o.dev, o.hwsize),
  render: (w, o) => `pci_create_ims_domain(${deviceName(w, o.dev)}, &ims_template, hwsize=${o.hwsize})`,
  candidates: (w, mode) =>
    v62(w)
      ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter(
          (d) => pci(d) && (mode === 'any' || (d.msiData?.domains[1] ?? null) === null),
        )
      : [],
  build: (_w, _m, _c, d) => ({ type: 'pciCreateImsDomain', dev: d.id, hwsize: IMS_TEST_HWSIZE }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
