/*
 * models/drivers/dma/idxd/idxd.ts - the idxd host driver's interrupt lifecycle (drivers/dma/idxd/init.c,
 * device.c, irq.c)
 *
 * Probe: all MSI-X vectors (pci_alloc_irq_vectors(n, n, MSIX)); vector 0 is misc/error/command
 * completion. The MSI-X permission table by version: none on 5.10 (added in 5.11); 5.11-5.16
 * program it at probe (no profile here); 5.17+ write entry wq+1 with the system PASID in
 * idxd_wq_request_irq() for a kernel WQ (skipped without PASID) and clear it in idxd_wq_free_irq(). Completion
 * vectors by version (spec 7.3): 5.10 requests vectors 1..n-1 at probe with devm (pcim device);
 * 6.2 (5.17+) gives vector i to WQ i-1, requested when a kernel WQ is enabled. IMS set-up at
 * probe and its teardown at remove are the installed design's (models/designs; 6.2 mainline
 * creates the PF's IMS domain, without IR mdev support stays off). Remove tears down in the
 * kernel's order: mdevs, the design's IMS, WQs and device, free_irq, permission table,
 * interrupt handles, vectors; devres follows.
 */
import type { DevId, Virq, World } from '../../../world/types.ts';
import type { FailPoint } from '../../../kernel/irq/hierarchy.ts';
import { err, okVoid, warned, type Failure, type Outcome } from '../../../world/outcome.ts';
import { pciAllocIrqVectors, pciFreeIrqVectors } from '../../pci/msi.ts';
import { designHooks } from '../../design-hooks.ts';
import { freeIrq, requestIrq } from '../../../kernel/irq/manage.ts';
import { devresReleaseAll } from '../../base/device.ts';
import { arrSet } from '../../../world/util.ts';
import { updDevice } from '../../../world/world.ts';
import { pfOf, putPf, putWq } from './pf.ts';
import { zeroPerm } from './types.ts';
import { mdevRemove } from './vdcm.ts';

export const IDXD_DRIVER = 'idxd';

const v510 = (w: World) => w.profile.version === '5.10';

/** the PF's MSI-X virqs by table index */
function msixVectors(w: World, dev: DevId): Virq[] {
  const d = w.devices[dev]!;
  const descs = v510(w)
    ? d.msiList.map((id) => w.descs[id]!)
    : Object.values(d.msiData?.stores[0] ?? {}).map((id) => w.descs[id]!);
  return [...descs].sort((a, b) => a.msiIndex - b.msiIndex).map((x) => x.irq);
}

/** probe failure: undo what probe did (5.10: devres; 6.2: the explicit error path) */
function probeUnwind(_w: World, dev: DevId, f: Failure): Outcome<void> {
  let out = f.world;
  if (!v510(out)) {
    for (const virq of out.dsa[dev]?.driver.vectors ?? []) if (out.irqs[virq]?.action) out = freeIrq(out, virq).world;
    out = pciFreeIrqVectors(out, dev).world;
  }
  const r = devresReleaseAll(out, dev);
  out = updDevice(r.world, dev, (d) => ({ ...d, driver: null }));
  const pf = out.dsa[dev]!;
  out = putPf(out, {
    ...pf,
    msixPerm: pf.msixPerm.map(() => zeroPerm),
    intHandles: pf.intHandles.map(() => null),
    driver: { probed: false, vectors: [], mdevParent: false, imsBitmap: [] },
  });
  return { ...f, world: out } as Failure;
}

/**
 * idxdProbe() - bind idxd to a DSA PF and set up its interrupts
 * Kernel: drivers/dma/idxd/init.c idxd_pci_probe(), idxd_setup_interrupts(), idxd_msix_perm_setup()
 */
export function idxdProbe(w: World, dev: DevId, fail: FailPoint | null): Outcome<void> {
  const d = w.devices[dev];
  const pf0 = pfOf(w, dev);
  if (!d || !pf0) return err(w, 'ENODEV', `no DSA device #${dev}`);
  if (d.released || !d.present) return err(w, 'ENODEV', `${d.name} is not present`);
  if (d.driver !== null) return err(w, 'EBUSY', `${d.name} already bound to ${d.driver}`);
  // 5.10: pcim_enable_device(); 6.2: pci_enable_device(), torn down by hand
  let out = updDevice(w, dev, (x) => ({
    ...x,
    driver: IDXD_DRIVER,
    devres: v510(w) ? [...x.devres, { kind: 'pcim-enable' }] : x.devres,
  }));
  const n = d.msixTableSize;
  const a = pciAllocIrqVectors(out, dev, n, n, 'msix', false, fail);
  if (a.kind !== 'ok')
    return a.kind === 'err' || a.kind === 'warned'
      ? probeUnwind(out, dev, err(a.world, a.kind === 'err' ? a.errno : 'EINVAL', a.why) as Failure)
      : a;
  out = a.world;
  const vectors = msixVectors(out, dev);
  const pf = out.dsa[dev]!;
  // the MSI-X permission table is not written at probe: 5.10 has none (added in 5.11), 5.11-5.16
  // wrote it here (idxd_msix_perm_setup()), 5.17+ writes entry wq+1 in idxd_wq_request_irq()
  out = putPf(out, { ...pf, driver: { ...pf.driver, probed: false, vectors, mdevParent: false } });
  const atProbe = v510(out) ? vectors.map((_, i) => i) : [0];
  for (const i of atProbe) {
    const r = requestIrq(out, vectors[i]!, dev, v510(out));
    if (r.kind !== 'ok')
      return r.kind === 'err' || r.kind === 'warned'
        ? probeUnwind(out, dev, err(r.world, r.kind === 'err' ? r.errno : 'EINVAL', r.why) as Failure)
        : r;
    out = r.world;
    if (i > 0 && pf.caps.intHandleReq)
      out = putPf(out, { ...out.dsa[dev]!, intHandles: arrSet(out.dsa[dev]!.intHandles, i, i) });
  }
  // the design's IMS set-up (6.2 mainline: pci_create_ims_domain); mdev support needs it
  const ims = designHooks(out).pfProbe(out, dev);
  if (ims.kind === 'bug' || ims.kind === 'use-after-free') return ims;
  if (ims.kind !== 'ok')
    return probeUnwind(out, dev, err(ims.world, ims.kind === 'err' ? ims.errno : 'EINVAL', ims.why) as Failure);
  out = ims.world;
  const mdevParent = ims.value;
  const p = out.dsa[dev]!;
  return okVoid(putPf(out, { ...p, driver: { ...p.driver, probed: true, vectors, mdevParent } }));
}

/** MSI-X permission entry @i: the system PASID (set), or zero (clear) (drivers/dma/idxd/device.c, 5.17+) */
function setPermEntry(w: World, dev: DevId, i: number, set: boolean): World {
  const pf = w.dsa[dev]!;
  const entry = set ? { ignore: false, pasidEn: true, pasid: pf.systemPasid } : zeroPerm;
  return putPf(w, { ...pf, msixPerm: arrSet(pf.msixPerm, i, entry) });
}

/**
 * idxdWqEnable() - enable a configured WQ; 6.2 kernel WQs request their vector (index wq+1)
 * Kernel: drivers/dma/idxd/device.c idxd_wq_enable(), drv_enable_wq() -> idxd_wq_request_irq()
 */
export function idxdWqEnable(w: World, dev: DevId, wq: number): Outcome<void> {
  const pf = pfOf(w, dev);
  if (!pf?.driver.probed) return err(w, 'ENODEV', `no idxd device on ${w.devices[dev]?.name ?? dev}`);
  const q = pf.wqs[wq];
  if (!q) return err(w, 'EINVAL', `wq${wq} does not exist`);
  if (!pf.enabled) return err(w, 'ENXIO', 'device not enabled');
  if (q.enabled) return err(w, 'EBUSY', `wq${wq} already enabled`);
  if (q.group === null || q.size === 0 || q.type === 'none') return err(w, 'EINVAL', `wq${wq} is not configured`);
  let out = w;
  let irqRequested = false;
  if (!v510(w) && q.type === 'kernel') {
    const virq = pf.driver.vectors[wq + 1];
    if (virq === undefined) return err(w, 'EINVAL', `no MSI-X vector ${wq + 1}`);
    // idxd_device_set_perm_entry() before request_threaded_irq(), skipped without a PASID;
    // cleared again on the error path (idxd_device_clear_perm_entry())
    out = setPermEntry(out, dev, wq + 1, pf.caps.pasid);
    const r = requestIrq(out, virq, dev, false);
    if (r.kind !== 'ok') return r.kind === 'err' || r.kind === 'warned' ? { ...r, world: w } : r;
    out = r.world;
    irqRequested = true;
    if (pf.caps.intHandleReq)
      out = putPf(out, { ...out.dsa[dev]!, intHandles: arrSet(out.dsa[dev]!.intHandles, wq + 1, wq + 1) });
  }
  return okVoid(putWq(out, out.dsa[dev]!, { ...q, enabled: true, irqRequested }));
}

/**
 * idxdWqDisable() - disable a WQ; one backing an mdev is busy; 6.2 frees its vector
 * Kernel: drivers/dma/idxd/device.c idxd_wq_disable(), idxd_wq_free_irq()
 */
export function idxdWqDisable(w: World, dev: DevId, wq: number): Outcome<void> {
  const pf = pfOf(w, dev);
  if (!pf?.driver.probed) return err(w, 'ENODEV', `no idxd device on ${w.devices[dev]?.name ?? dev}`);
  const q = pf.wqs[wq];
  if (!q) return err(w, 'EINVAL', `wq${wq} does not exist`);
  if (!q.enabled) return okVoid(w);
  if (q.mdevRefs > 0) return err(w, 'EBUSY', `wq${wq} backs ${q.mdevRefs} mdev(s)`);
  let out = w;
  if (q.irqRequested) {
    const r = freeIrq(out, pf.driver.vectors[wq + 1]!);
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    out = r.world;
    out = putPf(out, { ...out.dsa[dev]!, intHandles: arrSet(out.dsa[dev]!.intHandles, wq + 1, null) });
    out = setPermEntry(out, dev, wq + 1, false); // idxd_wq_free_irq(): idxd_device_clear_perm_entry()
  }
  return okVoid(putWq(out, out.dsa[dev]!, { ...q, enabled: false, irqRequested: false }));
}

/**
 * idxdRemove() - drv->remove(): in the kernel's order, before devres runs
 * mdevs (mdev_unregister_device) -> WQs and device disabled -> free_irq on every vector ->
 * MSI-X permission table cleared -> interrupt handles released -> (6.2) pci_free_irq_vectors
 * Kernel: drivers/dma/idxd/init.c idxd_remove(), idxd_msix_perm_clear(), idxd_cleanup_interrupts()
 */
export function idxdRemove(w: World, dev: DevId): Outcome<void> {
  const pf0 = pfOf(w, dev);
  if (!pf0) return okVoid(w);
  let out = w;
  const warnings: string[] = [];
  const keep = (r: Outcome<void>): Outcome<void> | null => {
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    if (r.kind === 'warned' || r.kind === 'err') warnings.push(r.why);
    out = r.world;
    return null;
  };
  for (const m of Object.values(out.mdevs).filter((x) => x.pf === dev)) {
    const stop = keep(mdevRemove(out, m.id));
    if (stop) return stop;
  }
  // the design's IMS teardown, now that no mdev is left
  const stopIms = keep(designHooks(out).pfRemove(out, dev));
  if (stopIms) return stopIms;
  for (const q of out.dsa[dev]!.wqs) {
    if (!q.enabled) continue;
    const stop = keep(idxdWqDisable(out, dev, q.id));
    if (stop) return stop;
  }
  out = putPf(out, { ...out.dsa[dev]!, enabled: false });
  if (!v510(out)) {
    for (const virq of out.dsa[dev]!.driver.vectors) {
      if (!out.irqs[virq]?.action || out.irqs[virq]!.action!.devm) continue;
      const stop = keep(freeIrq(out, virq));
      if (stop) return stop;
    }
  }
  const pf = out.dsa[dev]!;
  out = putPf(out, { ...pf, msixPerm: pf.msixPerm.map(() => zeroPerm), intHandles: pf.intHandles.map(() => null) });
  if (!v510(out)) {
    const stop = keep(pciFreeIrqVectors(out, dev));
    if (stop) return stop;
  }
  const p = out.dsa[dev]!;
  out = putPf(out, { ...p, driver: { probed: false, vectors: [], mdevParent: false, imsBitmap: [] } });
  return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
}
