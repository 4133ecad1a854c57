/*
 * Fidelity: the PF's IMS table and its interrupts - the 6.2 IMS domain, slot messages, the
 * PASID filter, source-id (spec 1.6, 2.1 pci_create_ims_domain, 2.4 IMS, 3.3(d); I18, I19)
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0 } from '../../helpers.ts';
import { pciRid, sprConfig } from '../../../models/world/platform.ts';
import { chainNames, dom, freeIrq, irChip, irLevel, must, req, run, value } from '../util.ts';
import { descOfVirq, idxdProbe, imsFire, mdevCreate, mdevOpen, mdevRelease, ready } from './util.ts';

/** DSA0 ready with mdev0 (wq1, dedicated) and mdev1 (wq2, shared), both open */
const twoOpen = () =>
  must(ready(boot('6.2'), DSA0), mdevCreate(DSA0, 1), mdevCreate(DSA0, 2), mdevOpen(0), mdevOpen(1));

describe('the IMS domain', () => {
  it("6.2 idxd probe creates the PF's IMS domain in MSI_SECONDARY_DOMAIN on the PF's IR domain, hwsize = IMS size [pci/msi/irqdomain.c pci_create_ims_domain; spec 3.3(d)]", () => {
    const w = must(boot('6.2'), idxdProbe(DSA0));
    const ims = dom(w, 'IR-IMS-0000:6a:01.0');
    expect(w.devices[DSA0]!.msiData!.domains[1]).toBe(ims.id);
    expect(ims).toMatchObject({ busToken: 'PCI_DEVICE_IMS', msiDevice: true, dev: DSA0, parent: w.units[0]!.irDomain });
    expect(ims.msiInfo).toMatchObject({
      pciIms: true,
      allocSimpleDescs: true,
      freeDescs: true,
      hwsize: 16,
      chip: 'ims',
    });
    const spr = must(boot('6.2', { config: sprConfig }), idxdProbe(2));
    expect(dom(spr, 'IR-IMS-0000:74:01.0')).toMatchObject({ parent: spr.units[2]!.irDomain });
    expect(dom(spr, 'IR-IMS-0000:74:01.0').msiInfo!.hwsize).toBe(2048);
  });

  it('an IMS interrupt chains IR-IMS-<bdf> -> INTEL-IR-<unit of the PF> -> VECTOR, with hwirq = slot index [spec 1.2 "6.2 per-device domains: hwirq = msi_index"; 3.3(d)]', () => {
    const w = twoOpen();
    for (const m of Object.values(w.mdevs)) {
      const virq = m.irqs[0]!;
      expect(chainNames(w, virq)).toEqual(['IR-IMS-0000:6a:01.0', 'INTEL-IR-0', 'VECTOR']);
      expect(w.irqs[virq]!.levels[0]!.hwirq).toBe(m.imsIndex[0]);
      expect(descOfVirq(w, virq).msiIndex).toBe(m.imsIndex[0]);
    }
    expect(Object.values(w.mdevs).map((m) => m.imsIndex[0])).toEqual([0, 1]);
  });
});

describe('IMS slot contents', () => {
  it('the slot message is written when the interrupt is requested, in remappable format naming its IRTE, and zeroed by free_irq [msi.c msi_domain_activate/deactivate; RFC ims.c idxd_ims_write_msg]', () => {
    const w1 = must(boot('6.2'), idxdProbe(DSA0));
    const alloc = run(w1, { type: 'pciImsAllocIrq', dev: DSA0, icookie: 5, fail: null });
    const a = value<{ index: number; virq: number }>(alloc);
    const w2 = alloc.world;
    expect(w2.dsa[DSA0]!.ims[a.index]!.msg).toBeNull(); // IMS: no early activation
    expect(w2.irqs[a.virq]!.activated).toBe(false);
    const w3 = must(w2, req(a.virq, DSA0));
    const c = irChip(w3, a.virq);
    expect(w3.dsa[DSA0]!.ims[a.index]!.msg).toEqual({
      format: 'remappable',
      unit: 0,
      index: c.irteIndex,
      sub: c.subHandle,
    });
    expect(w3.units[0]!.irtes[c.irteIndex]).toMatchObject({ present: true });
    const w4 = must(w3, freeIrq(a.virq));
    expect(w4.dsa[DSA0]!.ims[a.index]!.msg).toBeNull();
  });

  it('IMS IRTE SID is the PF requester id, with SVT = verify [irq_remapping.c set_msi_sid: desc->dev is the PF; spec 3.3(d)]', () => {
    const w = twoOpen();
    const rid = w.devices[DSA0]!.rid!;
    expect(rid).toBe(pciRid(0x6a, 1, 0));
    for (const m of Object.values(w.mdevs)) {
      expect(w.devices[m.dev]!.rid).toBeNull(); // an mdev has no requester id of its own
      const c = irChip(w, m.irqs[0]!);
      expect([c.unit, c.sid, c.svt]).toEqual([0, rid, 1]);
      expect(w.units[0]!.irtes[c.irteIndex + c.subHandle]).toMatchObject({ present: true, sid: rid, svt: 1 });
      expect(irLevel(w, m.irqs[0]!).hwirq).toBe(c.irteIndex << 16);
    }
  });
});

describe('the PASID filter (DSA raising an IMS interrupt)', () => {
  it('an IMS entry with PASID enable only fires for its PASID [RFC vidxd_enable_host_ims_pasid "Setup the PASID filtering"; spec 1.6]', () => {
    const w = twoOpen();
    const [m0, m1] = [w.mdevs[0]!, w.mdevs[1]!];
    expect(value(run(w, imsFire(DSA0, m0.imsIndex[0]!, m0.pasid)))).toBe('delivered');
    expect(value(run(w, imsFire(DSA0, m1.imsIndex[0]!, m1.pasid)))).toBe('delivered');
    // mdev1's descriptors name mdev0's slot: the device drops the interrupt
    const o = run(w, imsFire(DSA0, m0.imsIndex[0]!, m1.pasid));
    expect(value(o)).toBe('blocked-by-pasid');
    expect(o.world).toBe(w);
    expect(value(run(w, imsFire(DSA0, m1.imsIndex[0]!, w.dsa[DSA0]!.systemPasid)))).toBe('blocked-by-pasid');
  });

  it('an IMS entry without PASID enable fires for any PASID [DSA spec 1.0 IMS control bit 3]', () => {
    const w1 = must(boot('6.2'), idxdProbe(DSA0));
    const alloc = run(w1, { type: 'pciImsAllocIrq', dev: DSA0, icookie: 5, fail: null });
    const a = value<{ index: number; virq: number }>(alloc);
    const w = must(alloc.world, req(a.virq, DSA0));
    expect(w.dsa[DSA0]!.ims[a.index]!.pasidEn).toBe(false);
    for (const pasid of [0, 1, 5, 100])
      expect(value(run(w, imsFire(DSA0, a.index, pasid))), `PASID ${pasid}`).toBe('delivered');
  });

  it("a slot released by one mdev and reused by another no longer fires for the first mdev's PASID [RFC vidxd_free_ims_entries, vidxd_setup_ims_entries]", () => {
    const w1 = must(ready(boot('6.2'), DSA0), mdevCreate(DSA0, 2), mdevCreate(DSA0, 2), mdevOpen(0));
    const [slot, old] = [w1.mdevs[0]!.imsIndex[0]!, w1.mdevs[0]!.pasid];
    const w2 = must(w1, mdevRelease(0));
    expect(value(run(w2, imsFire(DSA0, slot, old)))).toBe('no-message');
    const w = must(w2, mdevOpen(1));
    expect(w.mdevs[1]!.imsIndex).toEqual([slot]);
    expect(value(run(w, imsFire(DSA0, slot, old)))).toBe('blocked-by-pasid');
    expect(value(run(w, imsFire(DSA0, slot, w.mdevs[1]!.pasid)))).toBe('delivered');
  });

  it('a slot beyond the IMS table is -EINVAL [DSA spec 1.0: IMS size = max_ims_mult x 256]', () => {
    const w = twoOpen();
    const o = run(w, imsFire(DSA0, 16, w.mdevs[0]!.pasid));
    expect(o.kind === 'err' && o.errno).toBe('EINVAL');
  });
});
