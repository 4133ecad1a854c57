/*
 * models/designs/assign-domain.ts - option (b): platform_msi_assign_domain(dev, parent)
 * (Jason Gunthorpe in the DEV-MSI thread; spec 3.3 (b))
 *
 * At mdev creation the vdcm driver calls platform_msi_assign_domain(mdev, X) with X the parent
 * of the PF's own MSI domain (INTEL-IR-<U> of the PF's unit, VECTOR without IR). Assigning X
 * itself cannot work (an IR domain is not a platform-MSI domain: -EINVAL "Incompatible
 * msi_domain"), so the call creates the intermediate device-MSI domain the thread found
 * necessary and points mdev->msi_domain at it. Ownership (left open in the thread): per assign
 * call, owned by the mdev driver, which removes it when the mdev is removed, after its
 * interrupts are gone. Vectors are platform-MSI on the mdev; IMS slots come from the PF
 * driver's bitmap; the alloc type is DEV_MSI.
 */
import type { Design } from './design.ts';
import type { DevId, DomainId, World } from '../world/types.ts';
import {
  platformMsiCreateIrqDomain,
  platformMsiDomainAllocIrqs,
  platformMsiDomainFreeIrqs,
} from '../drivers/base/platform-msi.ts';
import { irqDomainRemove } from '../kernel/irq/irqdomain.ts';
import { devSetMsiDomain } from '../drivers/base/device.ts';
import { err, ok, okVoid, type Outcome } from '../world/outcome.ts';
import { putDomain } from '../world/world.ts';
import { asFailure, imsSlotGet, imsSlotPut, msiListVirqs, pfIrParent, vectors } from './helpers.ts';

/**
 * platform_msi_assign_domain() - the proposed API: a device-MSI domain for @dev under @parent,
 * stored in dev->msi_domain; the caller owns it
 */
export function platformMsiAssignDomain(w: World, dev: DevId, parent: DomainId): Outcome<DomainId> {
  const d = w.devices[dev]!;
  const c = platformMsiCreateIrqDomain(w, parent, `DEV-MSI-${d.name}`);
  const out = putDomain(c.w, { ...c.w.domains[c.id]!, creator: 'driver', dev });
  return ok(devSetMsiDomain(out, dev, c.id).world, c.id);
}

export const assignDomain: Design = {
  name: 'assign-domain',
  summary: '(b) platform_msi_assign_domain(mdev, PF IR domain): a device-MSI domain per mdev, owned by the mdev driver',
  description:
    "Jason Gunthorpe's proposal in the DEV-MSI thread. When an mdev is created the vdcm driver calls " +
    "platform_msi_assign_domain(mdev, X), X = the parent of the PF's MSI domain (INTEL-IR-<U> of the unit that " +
    'covers the PF, VECTOR without remapping), so the topology comes from the PF. Because X is not a platform-MSI ' +
    'domain, the call creates an intermediate device-MSI domain DEV-MSI-<mdev> under X and sets mdev->msi_domain ' +
    'to it. Ownership, which the thread left open, is chosen per call: the mdev driver owns the domain and removes ' +
    'it at mdev removal, after release has freed the interrupts. Vectors are platform-MSI on the mdev (descs and ' +
    "devid on the mdev, alloc type DEV_MSI); IMS slots come from the PF driver's bitmap and a failed allocation " +
    'is undone and reported.',
  kernel: '5.10',
  features: ['dev-msi-alloc-type'],
  assumptions: [
    'mdev removal always follows release (vfio waits for the last close), so the domain has no interrupts when removed',
  ],
  pfProbe: (w) => ok(w, true),
  pfRemove: (w) => okVoid(w),
  mdevCreate: (w, m) => {
    const parent = pfIrParent(w, m.pf);
    if (parent === null) return err(w, 'ENODEV', `${w.devices[m.pf]!.name} has no MSI domain to derive from`);
    const r = platformMsiAssignDomain(w, m.dev, parent);
    return r.kind === 'ok' ? okVoid(r.world) : asFailure(r);
  },
  mdevAllocIrqs: (w, m, nvec, fail) => {
    let out = w;
    const slots: number[] = [];
    for (let i = 0; i < nvec; i++) {
      const s = imsSlotGet(out, m.pf);
      if (!s) return err(w, 'ENOSPC', 'no IMS entries left');
      out = s.w;
      slots.push(s.slot);
    }
    const a = platformMsiDomainAllocIrqs(out, m.dev, nvec, fail);
    if (a.kind === 'err' || a.kind === 'warned') {
      let back = a.world;
      for (const slot of slots) back = imsSlotPut(back, m.pf, slot);
      return { ...a, world: back };
    }
    if (a.kind !== 'ok') return asFailure(a);
    return ok(a.world, vectors(slots, msiListVirqs(a.world, m.dev)));
  },
  mdevFreeIrqs: (w, m) => {
    let out = w;
    for (const slot of m.imsIndex) out = imsSlotPut(out, m.pf, slot);
    return platformMsiDomainFreeIrqs(out, m.dev);
  },
  mdevRemove: (w, m) => {
    const dom = w.devices[m.dev]?.msiDomain ?? null;
    if (dom === null) return okVoid(w);
    const out = devSetMsiDomain(w, m.dev, null).world;
    return irqDomainRemove(out, dom);
  },
};
