/*
 * models/drivers/dma/idxd/vdcm.ts - mediated devices on a DSA PF (RFC drivers/dma/idxd/mdev.c, vdev.c, ims.c;
 * drivers/vfio/mdev/mdev_core.c 5.10). Never merged; modelled as the RFC describes it.
 *
 * create: a backing WQ (enabled, mdev type; a dedicated WQ backs one mdev) and a PASID; no
 * interrupts. open (guest starts): one IMS-backed interrupt per guest vector >= 1, the slot's
 * PASID filter programmed (vidxd_enable_host_ims_pasid) before request_irq. release: the reverse.
 * remove: release first if still open (vfio waits for the last close), drop the WQ reference,
 * unregister the mdev's struct device.
 * Where the interrupts come from is the installed design's (models/designs): its mdevCreate,
 * mdevAllocIrqs, mdevFreeIrqs and mdevRemove hooks run inside the common code below. Mainline
 * 6.2 allocates on the PF (pci_ims_alloc_irq); mainline 5.10 has no IMS API (-EOPNOTSUPP).
 */
import type { Device, DevId, World } from '../../../world/types.ts';
import type { FailPoint } from '../../../kernel/irq/hierarchy.ts';
import { err, ok, okVoid, warned, type Failure, type Outcome } from '../../../world/outcome.ts';
import { designHooks } from '../../design-hooks.ts';
import { freeIrq, requestIrq } from '../../../kernel/irq/manage.ts';
import { deviceUnregister } from '../../base/device.ts';
import { arrSet, recDel, recPut } from '../../../world/util.ts';
import { newDevice, putDevice } from '../../../world/world.ts';
import { putPf, putWq } from './pf.ts';
import { VIDXD_MAX_MSIX_VECS, type Mdev, type MdevId } from './types.ts';

/** the driver the mdev core binds an mdev's struct device to */
export const VFIO_MDEV_DRIVER = 'vfio_mdev';

/** the aux-domain PASID an mdev gets (any distinct value; the system PASID is 1) */
const mdevPasid = (id: MdevId): number => 100 + id;

const putMdev = (w: World, m: Mdev): World => ({ ...w, mdevs: recPut(w.mdevs, m.id, m) });

/**
 * mdevCreate() - create an mdev on @pf backed by @wq
 * The parent must be registered (-ENODEV); the WQ enabled with type mdev (-EINVAL); a dedicated
 * WQ already backing an mdev is -EBUSY; at most maxMdevsPerPf (-ENOSPC). Then the design's
 * mdevCreate hook; its failure undoes the creation.
 * Kernel: drivers/vfio/mdev/mdev_core.c mdev_device_create(); RFC idxd_vdcm_create()
 */
export function mdevCreate(w: World, pf: DevId, wq: number): Outcome<MdevId> {
  const p = w.dsa[pf];
  if (!p?.driver.mdevParent) return err(w, 'ENODEV', `${w.devices[pf]?.name ?? pf} is not a registered mdev parent`);
  const q = p.wqs[wq];
  if (!q?.enabled || q.type !== 'mdev') return err(w, 'EINVAL', `wq${wq} is not an enabled mdev WQ`);
  if (q.mode === 'dedicated' && q.mdevRefs > 0) return err(w, 'EBUSY', `dedicated wq${wq} already backs an mdev`);
  if (Object.values(w.mdevs).filter((m) => m.pf === pf).length >= w.config.maxMdevsPerPf)
    return err(w, 'ENOSPC', 'no more mdevs on this PF');
  const id = w.nextMdevId;
  const devId = w.nextDevId;
  // the mdev's struct device, added and bound to vfio_mdev by the mdev core
  const dev: Device = {
    ...newDevice({
      id: devId,
      name: `mdev${id}`,
      bus: 'mdev',
      parent: pf,
      rid: null,
      msixTableSize: 0,
      msiVectors: 0,
      msiMaskable: false,
    }),
    present: true,
    driver: VFIO_MDEV_DRIVER,
  };
  let out: World = { ...putDevice(w, dev), nextDevId: devId + 1, nextMdevId: id + 1 };
  out = putWq(out, out.dsa[pf]!, { ...q, mdevRefs: q.mdevRefs + 1 });
  const m: Mdev = { id, pf, dev: devId, wq, pasid: mdevPasid(id), open: false, imsIndex: [], irqs: [] };
  out = putMdev(out, m);
  const hook = designHooks(out).mdevCreate;
  if (hook) {
    const h = hook(out, m);
    if (h.kind === 'bug' || h.kind === 'use-after-free') return h;
    if (h.kind !== 'ok') return { ...h, world: w } as Failure;
    out = h.world;
  }
  return ok(out, id);
}

/**
 * mdevOpen() - the guest starts: the design allocates an IMS-backed interrupt per guest vector
 * >= 1; each slot is bound on the mdev, its PASID filter set, then request_irq (the host handler
 * forwards to the guest). A failure undoes what was done.
 * Kernel: RFC idxd_vdcm_open(), vidxd_setup_ims_entries(), vidxd_enable_host_ims_pasid()
 */
export function mdevOpen(w: World, id: MdevId, fail: FailPoint | null): Outcome<void> {
  const m = w.mdevs[id];
  if (!m) return err(w, 'ENODEV', `no mdev${id}`);
  if (m.open) return err(w, 'EBUSY', `mdev${id} already open`);
  const a = designHooks(w).mdevAllocIrqs(w, m, VIDXD_MAX_MSIX_VECS - 1, fail);
  if (a.kind !== 'ok') return a as Failure;
  let out = a.world;
  let mm: Mdev = { ...m, imsIndex: a.value.map((v) => v.slot), irqs: a.value.map((v) => v.virq) };
  out = putMdev(out, mm);
  for (const { slot, virq } of a.value) {
    const pf = out.dsa[m.pf]!;
    out = putPf(out, { ...pf, ims: arrSet(pf.ims, slot, { ...pf.ims[slot]!, pasidEn: true, pasid: m.pasid }) });
    const r = requestIrq(out, virq, m.dev, false);
    if (r.kind !== 'ok')
      return r.kind === 'err' || r.kind === 'warned' ? { ...(r as Failure), world: releaseIrqs(out, mm).world } : r;
    out = r.world;
  }
  mm = { ...mm, open: true };
  return okVoid(putMdev(out, mm));
}

/** free_irq and PASID filter off for every vector, then the design frees the interrupts */
function releaseIrqs(w: World, m: Mdev): Outcome<void> {
  let out = w;
  m.irqs.forEach((virq, i) => {
    const slot = m.imsIndex[i]!;
    if (out.irqs[virq]?.action) out = freeIrq(out, virq).world;
    const pf = out.dsa[m.pf];
    if (pf?.ims[slot])
      out = putPf(out, { ...pf, ims: arrSet(pf.ims, slot, { ...pf.ims[slot]!, pasidEn: false, pasid: 0 }) });
  });
  const r = designHooks(out).mdevFreeIrqs(out, m);
  if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
  out = putMdev(r.world, { ...m, open: false, imsIndex: [], irqs: [] });
  return r.kind === 'warned' || r.kind === 'err' ? warned(out, r.why) : okVoid(out);
}

/**
 * mdevRelease() - the guest closes the device: its interrupts go
 * Kernel: RFC idxd_vdcm_release(), vidxd_free_ims_entries()
 */
export function mdevRelease(w: World, id: MdevId): Outcome<void> {
  const m = w.mdevs[id];
  if (!m) return err(w, 'ENODEV', `no mdev${id}`);
  if (!m.open) return okVoid(w);
  return releaseIrqs(w, m);
}

/**
 * mdevRemove() - remove an mdev: -ENODEV if unknown; an open one is released first (vfio waits
 * for the last close); the design's mdevRemove hook; then the WQ reference goes and the mdev's
 * device is unregistered.
 * Kernel: drivers/vfio/mdev/mdev_core.c mdev_device_remove(); RFC idxd_vdcm_remove()
 */
export function mdevRemove(w: World, id: MdevId): Outcome<void> {
  const m = w.mdevs[id];
  if (!m) return err(w, 'ENODEV', `no mdev${id}`);
  let out = w;
  const warnings: string[] = [];
  if (m.open) {
    const r = releaseIrqs(out, m);
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    if (r.kind === 'warned') warnings.push(r.why);
    out = r.world;
  }
  const hook = designHooks(out).mdevRemove;
  if (hook) {
    const h = hook(out, out.mdevs[id]!);
    if (h.kind === 'bug' || h.kind === 'use-after-free') return h;
    if (h.kind !== 'ok') warnings.push(h.why);
    out = h.world;
  }
  const pf = out.dsa[m.pf];
  if (pf) {
    const q = pf.wqs[m.wq]!;
    out = putWq(out, pf, { ...q, mdevRefs: Math.max(0, q.mdevRefs - 1) });
  }
  const u = deviceUnregister(out, m.dev);
  if (u.kind === 'bug' || u.kind === 'use-after-free') return u;
  if (u.kind === 'warned') warnings.push(u.why);
  out = { ...u.world, mdevs: recDel(u.world.mdevs, id) };
  return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
}
