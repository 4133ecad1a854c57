/*
 * models/drivers/dma/idxd/interrupts.ts - the DSA raising a completion interrupt through an IMS entry
 * (DSA spec 1.0: interrupt handles and the IMS PASID check; RFC vidxd_enable_host_ims_pasid
 * "Setup the PASID filtering")
 *
 * A descriptor names an interrupt handle that selects an IMS entry. With PASID enable set the
 * device signals that entry only for descriptors carrying the entry's PASID: this filter, not
 * the IOMMU, confines an mdev to its own slots. The write then goes through interrupt
 * remapping like any MSI.
 */
import type { DevId, World } from '../../../world/types.ts';
import { err, ok, type Outcome } from '../../../world/outcome.ts';
import { deviceFireIrq } from '../../../kernel/irq/manage.ts';

export type ImsDelivery = 'delivered' | 'blocked-by-pasid' | 'no-message';

export function dsaImsInterrupt(w: World, pf: DevId, slot: number, pasid: number): Outcome<ImsDelivery> {
  const p = w.dsa[pf];
  if (!p) return err(w, 'ENODEV', `no DSA device #${pf}`);
  const e = p.ims[slot];
  if (!e) return err(w, 'EINVAL', `IMS slot ${slot} beyond ${p.ims.length}`);
  if (e.pasidEn && e.pasid !== pasid) return ok(w, 'blocked-by-pasid');
  if (e.msg === null) return ok(w, 'no-message');
  // the owner of the slot: the mdev vector bound to it, else the PF's IMS-domain interrupt of
  // that index (a direct pci_ims_alloc_irq user)
  const m = Object.values(w.mdevs).find((x) => x.pf === pf && x.imsIndex.includes(slot));
  const id = w.devices[pf]?.msiData?.stores[1][slot];
  const virq = m ? m.irqs[m.imsIndex.indexOf(slot)] : id === undefined ? undefined : w.descs[id]?.irq;
  if (!virq) return ok(w, 'delivered'); // a stale message: the write lands wherever it points
  const r = deviceFireIrq(w, virq);
  return r.kind === 'ok' ? ok(r.world, 'delivered') : (r as Outcome<ImsDelivery>);
}
