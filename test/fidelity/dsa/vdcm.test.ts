/*
 * Fidelity: vdcm mediated devices on a DSA PF - create/open/release/remove, IMS per mdev, PF
 * teardown order (spec 1.7, 2.7, 3.3(d); RFC "Add VFIO mediated device support ... Intel Data
 * Streaming Accelerator", drivers/dma/idxd/mdev.c, vdev.c, ims.c)
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0 } from '../../helpers.ts';
import type { World } from '../../../models/world/types.ts';
import { smallConfig } from '../../../models/world/platform.ts';
import { VIDXD_MAX_MSIX_VECS } from '../../../models/drivers/dma/idxd/types.ts';
import { chainNames, must, noIrConfig, run, unbind, value } from '../util.ts';
import {
  bigIrteConfig,
  descOfVirq,
  idxdProbe,
  imsStore,
  mdevCreate,
  mdevOpen,
  mdevRelease,
  mdevRemove,
  ready,
  requested,
  standardConfig,
  deviceEnable,
  wqDisable,
  wqEnable,
} from './util.ts';

const emptyIms = { msg: null, pasidEn: false, pasid: 0 };

/** DSA0 ready (wq0 kernel, wq1 mdev dedicated, wq2 mdev shared) with mdev0 on wq1 */
const withMdev = (v: '6.2' | '5.10' = '6.2') => must(ready(boot(v), DSA0), mdevCreate(DSA0, 1));

describe('mdev create', () => {
  it('a dedicated WQ backs one mdev (-EBUSY) [RFC idxd_vdcm_create]', () => {
    const w1 = withMdev();
    expect(w1.dsa[DSA0]!.wqs[1]!.mdevRefs).toBe(1);
    const o = run(w1, mdevCreate(DSA0, 1));
    expect(o.kind === 'err' && o.errno).toBe('EBUSY');
    expect(Object.keys(o.world.mdevs)).toEqual(['0']);
    expect(o.world.dsa[DSA0]!.wqs[1]!.mdevRefs).toBe(1);
  });

  it('a shared WQ backs several mdevs, up to the per-PF limit (-ENOSPC) [RFC idxd_vdcm_create; mdev type available_instances]', () => {
    const w1 = must(ready(boot('6.2'), DSA0), mdevCreate(DSA0, 2), mdevCreate(DSA0, 2), mdevCreate(DSA0, 2));
    expect(smallConfig.maxMdevsPerPf).toBe(3);
    expect(w1.dsa[DSA0]!.wqs[2]!.mdevRefs).toBe(3);
    expect(Object.values(w1.mdevs).map((m) => [m.pf, m.wq])).toEqual([
      [DSA0, 2],
      [DSA0, 2],
      [DSA0, 2],
    ]);
    const o = run(w1, mdevCreate(DSA0, 2));
    expect(o.kind === 'err' && o.errno).toBe('ENOSPC');
    expect(Object.keys(o.world.mdevs)).toHaveLength(3);
  });

  it('mdev create needs an enabled mdev-type WQ (-EINVAL) [RFC idxd_vdcm_create]', () => {
    const w1 = must(boot('6.2'), idxdProbe(DSA0), ...standardConfig(DSA0), deviceEnable(DSA0), wqEnable(DSA0, 0));
    for (const wq of [0, 1, 7]) {
      // wq0: a kernel WQ; wq1: an mdev WQ not enabled; wq7: not configured
      const o = run(w1, mdevCreate(DSA0, wq));
      expect(o.kind === 'err' && o.errno, `wq${wq}`).toBe('EINVAL');
      expect(o.world.mdevs).toEqual({});
    }
    expect(value<number>(run(must(w1, wqEnable(DSA0, 1)), mdevCreate(DSA0, 1)))).toBe(0);
  });

  it('mdev create gives the mdev a struct device under the PF, a PASID and no interrupts [mdev_core.c mdev_device_create; spec 2.7 "No interrupts yet"]', () => {
    const w0 = ready(boot('6.2'), DSA0);
    const w = withMdev();
    const m = w.mdevs[0]!;
    expect(m).toMatchObject({ pf: DSA0, wq: 1, open: false, imsIndex: [], irqs: [] });
    const d = w.devices[m.dev]!;
    expect(d).toMatchObject({
      bus: 'mdev',
      parent: DSA0,
      rid: null,
      msiDomain: null,
      msiData: null,
      present: true,
      released: false,
    });
    expect(m.pasid).not.toBe(w.dsa[DSA0]!.systemPasid);
    expect(w.irqs).toEqual(w0.irqs);
    expect(imsStore(w, DSA0)).toEqual([]);
  });

  it('5.10: idxd registers no mdev parent, so mdev create is -ENODEV [mainline 5.10 has no IMS API; mdev_core.c mdev_device_create]', () => {
    const w1 = ready(boot('5.10'), DSA0);
    expect(w1.dsa[DSA0]!.driver.mdevParent).toBe(false);
    const o = run(w1, mdevCreate(DSA0, 1));
    expect(o.kind === 'err' && o.errno).toBe('ENODEV');
    expect(o.world.mdevs).toEqual({});
  });

  it('5.10: mdev open is -EOPNOTSUPP: pci_ims_alloc_irq does not exist (hand-built mdev) [spec 1.7; drivers/pci/msi/api.c 6.2+]', () => {
    // no operation creates an mdev on 5.10 (previous test): put one on the 6.2-shaped state
    const w1 = ready(boot('5.10'), DSA0);
    const id = w1.nextDevId;
    const dev = {
      ...w1.devices[DSA0]!,
      id,
      name: 'mdev0',
      bus: 'mdev' as const,
      parent: DSA0,
      rid: null,
      msixTableSize: 0,
      driver: 'vfio_mdev',
      msiDomain: null,
      msiData: null,
      msiList: [],
      devres: [],
    };
    const w: World = {
      ...w1,
      devices: { ...w1.devices, [id]: dev },
      nextDevId: id + 1,
      mdevs: { 0: { id: 0, pf: DSA0, dev: id, wq: 1, pasid: 100, open: false, imsIndex: [], irqs: [] } },
    };
    const o = run(w, mdevOpen(0));
    expect(o.kind === 'err' && o.errno).toBe('EOPNOTSUPP');
    expect(o.world.mdevs[0]!.open).toBe(false);
    expect(o.world.irqs).toEqual(w.irqs);
  });
});

describe('mdev open, release and remove', () => {
  it('mdev open allocates its IMS interrupt against the PF in MSI_SECONDARY_DOMAIN with the PASID as icookie [api.c pci_ims_alloc_irq; spec 3.3(d)]', () => {
    const w = must(withMdev(), mdevOpen(0));
    const m = w.mdevs[0]!;
    expect(m.open).toBe(true);
    expect(m.imsIndex).toHaveLength(VIDXD_MAX_MSIX_VECS - 1);
    expect(m.irqs).toHaveLength(1);
    const [slot, virq] = [m.imsIndex[0]!, m.irqs[0]!];
    const desc = descOfVirq(w, virq);
    expect(desc).toMatchObject({ dev: DSA0, domid: 1, msiIndex: slot, icookie: m.pasid, isMsix: false });
    expect(w.devices[DSA0]!.msiData!.stores[1][slot]).toBe(desc.id);
    // the mdev's own device has no MSI state at all
    expect(w.devices[m.dev]).toMatchObject({ msiDomain: null, msiData: null, msiList: [] });
    expect(chainNames(w, virq)).toEqual(['IR-IMS-0000:6a:01.0', 'INTEL-IR-0', 'VECTOR']);
    // the host handler is the mdev's; the slot's PASID filter carries the mdev's PASID
    expect(w.irqs[virq]!.action).toEqual({ dev: m.dev, devm: false });
    expect(w.dsa[DSA0]!.ims[slot]).toMatchObject({ pasidEn: true, pasid: m.pasid });
  });

  it('mdev open fails cleanly when IMS slots run out (16 per PF in small config) and leaves no trace [msi.c msi_insert_desc MSI_ANY_INDEX -EBUSY]', () => {
    // 64-entry IR tables: with the small config's 16 IRTEs per unit (9 taken by MSI-X) IRTEs
    // would run out before the 16 IMS slots
    let w = must(
      ready(boot('6.2', { config: bigIrteConfig }), DSA0),
      mdevCreate(DSA0, 2),
      mdevCreate(DSA0, 2),
      mdevOpen(0),
    );
    expect(w.dsa[DSA0]!.ims).toHaveLength(16);
    for (let i = 0; i < 15; i++) w = must(w, { type: 'pciImsAllocIrq', dev: DSA0, icookie: 7, fail: null });
    expect(imsStore(w, DSA0)).toHaveLength(16);
    const o = run(w, mdevOpen(1));
    expect(o.kind === 'err' && o.errno).toBe('EBUSY');
    expect(o.world).toEqual(w);
    expect(o.world.mdevs[1]).toMatchObject({ open: false, imsIndex: [], irqs: [] });
  });

  it('an mdev open that fails allocating its IRTE rolls back completely [msi.c msi_domain_alloc_irq_at; irq_remapping.c intel_irq_remapping_alloc]', () => {
    const w = withMdev();
    const o = run(w, mdevOpen(0, { site: 'irte', index: 0 }));
    expect(o.kind).toBe('err');
    expect(o.world).toEqual(w);
    expect(imsStore(o.world, DSA0)).toEqual([]);
    expect(o.world.dsa[DSA0]!.ims[0]).toEqual(emptyIms);
  });

  it('mdev release frees its IMS interrupt, clears the PASID filter and the slot [RFC idxd_vdcm_release, vidxd_free_ims_entries]', () => {
    const w1 = must(withMdev(), mdevOpen(0));
    const [slot, virq] = [w1.mdevs[0]!.imsIndex[0]!, w1.mdevs[0]!.irqs[0]!];
    const irte = w1.units[0]!.irteBitmap.length;
    const w = must(w1, mdevRelease(0));
    expect(w.mdevs[0]).toMatchObject({ open: false, imsIndex: [], irqs: [] });
    expect(w.irqs[virq]).toBeUndefined();
    expect(imsStore(w, DSA0)).toEqual([]);
    expect(w.dsa[DSA0]!.ims[slot]).toEqual(emptyIms);
    expect(w.units[0]!.irteBitmap).toHaveLength(irte - 1);
    expect(w.freedWithAction).toEqual([]);
    // the mdev survives a close and can be opened again
    expect(must(w, mdevOpen(0)).mdevs[0]!.open).toBe(true);
  });

  it('removing an open mdev releases it first [mdev_core.c mdev_device_remove: vfio waits for the last close; spec 2.7]', () => {
    const w1 = must(withMdev(), mdevOpen(0));
    const m = w1.mdevs[0]!;
    const o = run(w1, mdevRemove(0));
    expect(o.kind).toBe('ok');
    const w = o.world;
    expect(w.mdevs).toEqual({});
    expect(w.irqs[m.irqs[0]!]).toBeUndefined();
    expect(w.freedWithAction).toEqual([]); // free_irq ran before the interrupt was freed
    expect(imsStore(w, DSA0)).toEqual([]);
    expect(w.dsa[DSA0]!.ims[m.imsIndex[0]!]).toEqual(emptyIms);
    expect(w.dsa[DSA0]!.wqs[1]!.mdevRefs).toBe(0);
    expect(w.devices[m.dev]).toMatchObject({ present: false, released: true });
    const again = run(w, mdevRemove(0));
    expect(again.kind === 'err' && again.errno).toBe('ENODEV');
  });

  it('a WQ backing an mdev cannot be disabled (-EBUSY) [RFC idxd_vdcm_create takes a WQ reference]', () => {
    const w1 = withMdev();
    const o = run(w1, wqDisable(DSA0, 1));
    expect(o.kind === 'err' && o.errno).toBe('EBUSY');
    expect(o.world.dsa[DSA0]!.wqs[1]!.enabled).toBe(true);
    expect(must(w1, mdevRemove(0), wqDisable(DSA0, 1)).dsa[DSA0]!.wqs[1]!.enabled).toBe(false);
  });
});

describe('PF teardown and mdev support', () => {
  it('PF unbind removes all mdevs before tearing down IMS [spec 2.7 mdev_unregister_device; I14 teardown order; msi.c msi_device_data_release]', () => {
    const w1 = must(ready(boot('6.2'), DSA0), mdevCreate(DSA0, 1), mdevCreate(DSA0, 2), mdevOpen(0), mdevOpen(1));
    const mdevDevs = Object.values(w1.mdevs).map((m) => m.dev);
    expect(imsStore(w1, DSA0)).toHaveLength(2);
    const o = run(w1, unbind(DSA0));
    // IMS torn down with live slots would WARN ("store not empty") and leak
    expect(o.kind).toBe('ok');
    const w = o.world;
    expect(w.mdevs).toEqual({});
    for (const d of mdevDevs) expect(w.devices[d]!.released).toBe(true);
    expect(w.freedWithAction).toEqual([]);
    expect(w.devices[DSA0]!.msiData).toBeNull();
    expect(Object.values(w.domains).map((d) => d.name)).toEqual(['VECTOR', 'INTEL-IR-0', 'INTEL-IR-1']);
    expect(Object.values(w.irqs)).toEqual([]);
    expect(Object.values(w.descs)).toEqual([]);
    expect(w.dsa[DSA0]!.ims.every((e) => e.msg === null && !e.pasidEn)).toBe(true);
  });

  it('6.2 PF probe without interrupt remapping leaves mdev support off (pci_create_ims_domain refused) [msi.c x86_init_dev_msi_info: the vector domain takes no IMS]', () => {
    const w = must(boot('6.2', { config: noIrConfig }), idxdProbe(DSA0));
    expect(w.units.every((u) => !u.irEnabled)).toBe(true);
    expect(w.dsa[DSA0]!.driver).toMatchObject({ probed: true, mdevParent: false });
    expect(w.dsa[DSA0]!.driver.vectors).toHaveLength(9); // the PF itself works
    expect(w.devices[DSA0]!.msiData!.domains[1]).toBeNull();
    expect(Object.values(w.domains).map((d) => d.name)).toEqual(['VECTOR', 'PCI-MSIX-0000:6a:01.0']);
    const o = run(must(w, ...standardConfig(DSA0), deviceEnable(DSA0), wqEnable(DSA0, 1)), mdevCreate(DSA0, 1));
    expect(o.kind === 'err' && o.errno).toBe('ENODEV');
  });

  it('6.2 PF probe behind a caching-mode (virtual) IOMMU leaves mdev support off [VT-d "Enable PCI/IMS" V3: only on real hardware]', () => {
    const cm = { ...smallConfig, units: smallConfig.units.map((u) => ({ ...u, cachingMode: true })) };
    const w = must(boot('6.2', { config: cm }), idxdProbe(DSA0));
    expect(w.dsa[DSA0]!.driver).toMatchObject({ probed: true, mdevParent: false });
    expect(w.devices[DSA0]!.msiData!.domains[1]).toBeNull();
    expect(requested(w)).toEqual([w.dsa[DSA0]!.driver.vectors[0]]);
  });
});
