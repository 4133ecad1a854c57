/*
 * Fidelity: 6.2 per-device MSI domains, dynamic MSI-X and PCI/IMS (spec 1.3, 2.1, 2.4, 3.2, 3.3(d))
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0, NIC } from '../helpers.ts';
import { pciRid, smallConfig } from '../../models/world/platform.ts';
import type { Op } from '../../models/ops.ts';
import type { Virq } from '../../models/world/types.ts';
import type { FailPoint } from '../../models/kernel/irq/hierarchy.ts';
import {
  allocBits,
  chainNames,
  devVirqs,
  dom,
  freeIrq,
  freeVectors,
  hasDomain,
  irChip,
  msi,
  msix,
  must,
  noIrConfig,
  req,
  run,
  snapshot,
  totalAllocBits,
  value,
  vecChip,
} from './util.ts';

const createIms = (hwsize = 16): Op => ({ type: 'pciCreateImsDomain', dev: DSA0, hwsize });
const imsAlloc = (icookie: number, fail: FailPoint | null = null): Op => ({
  type: 'pciImsAllocIrq',
  dev: DSA0,
  icookie,
  fail,
});
type Map = { index: number; virq: Virq };

describe('6.2 per-device MSI domains', () => {
  it('6.2: INTEL-IR-<n> is an MSI parent (bus DMAR) and the device gets it as msi domain [irq_remapping.c intel_irq_remap_add_device, 6.2]', () => {
    const w = boot('6.2');
    const ir = dom(w, 'INTEL-IR-0');
    expect(ir.msiParent).toBe(true);
    expect(ir.busToken).toBe('DMAR');
    expect(w.devices[DSA0]!.msiDomain).toBe(ir.id);
    expect(hasDomain(w, 'INTEL-IR-MSI-0')).toBe(false);
  });

  it('6.2: first MSI-X enable creates IR-PCI-MSIX-<bdf> under INTEL-IR-<n>; it survives pci_free_irq_vectors [pci/msi/irqdomain.c pci_setup_msix_device_domain]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 2));
    const d = dom(w1, 'IR-PCI-MSIX-0000:6a:01.0');
    expect(d.parent).toBe(dom(w1, 'INTEL-IR-0').id);
    expect(d.dev).toBe(DSA0);
    expect(w1.devices[DSA0]!.msiData!.domains[0]).toBe(d.id);
    expect(chainNames(w1, devVirqs(w1, DSA0)[0]!)).toEqual(['IR-PCI-MSIX-0000:6a:01.0', 'INTEL-IR-0', 'VECTOR']);
    const w2 = must(w1, freeVectors(DSA0));
    expect(w2.domains[d.id]).toBeDefined();
    const w3 = must(w2, msix(DSA0, 1));
    expect(w3.devices[DSA0]!.msiData!.domains[0]).toBe(d.id); // reused
  });

  it('6.2: switching MSI -> MSI-X replaces the MSI device domain [pci/msi/irqdomain.c pci_setup_msix_device_domain]', () => {
    const w1 = must(boot('6.2'), msi(NIC, 1));
    const msiDom = dom(w1, 'IR-PCI-MSI-0000:17:00.0').id;
    const w2 = must(w1, freeVectors(NIC), msix(NIC, 1));
    expect(w2.domains[msiDom]).toBeUndefined();
    expect(w2.devices[NIC]!.msiData!.domains[0]).toBe(dom(w2, 'IR-PCI-MSIX-0000:17:00.0').id);
  });

  it('6.2: without IR the vector MSI parent cannot do multi-MSI; the request is capped to 1 vector [apic/msi.c x86_init_dev_msi_info]', () => {
    const w0 = boot('6.2', { config: noIrConfig });
    expect(w0.devices[NIC]!.msiDomain).toBe(w0.vectorDomain);
    expect(value<number>(run(w0, msi(NIC, 1, 4)))).toBe(1);
  });

  it('6.2: a dynamic MSI-X vector lives at its msi_index and the device-domain hwirq is that index [msi.c msi_domain_alloc_irq_at]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 2));
    const o = run(w1, { type: 'pciMsixAllocIrqAt', dev: DSA0, index: 5, fail: null });
    const m = value<Map>(o);
    expect(m.index).toBe(5);
    expect(o.world.irqs[m.virq]!.levels[0]!.hwirq).toBe(5);
    expect(devVirqs(o.world, DSA0).map((v) => o.world.irqs[v]!.levels[0]!.hwirq)).toEqual([0, 1, 5]);
  });

  it('6.2: a failed MSI-X range allocation leaves no trace in irqs, matrix, IR units and descs [msi.c msi_domain_alloc_locked, spec I8]', () => {
    const w0 = boot('6.2');
    const o = run(w0, msix(DSA0, 9, 9, { fail: { site: 'vector', index: 4 } }));
    expect(o.kind).toBe('err');
    expect(snapshot(o.world)).toBe(snapshot(w0));
  });

  it('6.2: msi_remove_device_irq_domain with live interrupts hits the radix-tree WARN and keeps the descs [msi.c msi_remove_device_irq_domain, spec 7.4]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 2));
    const o = run(w1, { type: 'msiRemoveDeviceIrqDomain', dev: DSA0, domid: 0 });
    expect(o.kind).toBe('warned');
    expect(hasDomain(o.world, 'IR-PCI-MSIX-0000:6a:01.0')).toBe(false);
    expect(Object.keys(o.world.devices[DSA0]!.msiData!.stores[0])).toHaveLength(2);
    expect(Object.keys(o.world.irqs)).toHaveLength(2); // interrupts not freed
  });
});

describe('6.2 PCI/IMS', () => {
  it('6.2: pci_create_ims_domain fails on the vector MSI parent (no interrupt remapping) [apic/msi.c x86_init_dev_msi_info]', () => {
    const w0 = boot('6.2', { config: noIrConfig });
    const o = run(w0, createIms());
    expect(o.kind).toBe('err');
    expect(Object.keys(o.world.domains)).toEqual(Object.keys(w0.domains));
  });

  it('6.2: pci_create_ims_domain fails on a caching-mode (virtual) IOMMU [irq_remapping.c virt_dmar_msi_parent_ops]', () => {
    const cfg = { ...smallConfig, units: smallConfig.units.map((u) => ({ ...u, cachingMode: true })) };
    expect(run(boot('6.2', { config: cfg }), createIms()).kind).toBe('err');
  });

  it('6.2: on IR, the IMS domain is created in MSI_SECONDARY_DOMAIN of the PF under INTEL-IR-<n> [pci/msi/irqdomain.c pci_create_ims_domain]', () => {
    const o = run(boot('6.2'), createIms());
    const id = value<number>(o);
    const d = o.world.domains[id]!;
    expect(d.busToken).toBe('PCI_DEVICE_IMS');
    expect(d.parent).toBe(dom(o.world, 'INTEL-IR-0').id);
    expect(o.world.devices[DSA0]!.msiData!.domains[1]).toBe(id);
  });

  it('6.2: IMS interrupts are allocated against the PF in MSI_SECONDARY_DOMAIN, hwirq = slot index, IRTE SID = PF RID [msi.c msi_domain_alloc_irq_at, pci/msi/api.c pci_ims_alloc_irq]', () => {
    const a = run(must(boot('6.2'), createIms()), imsAlloc(7));
    const b = run(a.world, imsAlloc(8));
    const [ma, mb] = [value<Map>(a), value<Map>(b)];
    expect([ma.index, mb.index]).toEqual([0, 1]);
    const w = b.world;
    const desc = w.descs[w.devices[DSA0]!.msiData!.stores[1][1]!]!;
    expect([desc.dev, desc.domid, desc.icookie, desc.irq]).toEqual([DSA0, 1, 8, mb.virq]);
    expect(w.irqs[mb.virq]!.levels[0]!.hwirq).toBe(1);
    expect(irChip(w, mb.virq).sid).toBe(pciRid(0x6a, 1, 0));
  });

  it('6.2: an IMS vector is taken only at request_irq and, being fixed, is kept after free_irq [vector.c activate_reserved, x86_vector_deactivate]', () => {
    const a = run(must(boot('6.2'), createIms()), imsAlloc(1));
    const { virq } = value<Map>(a);
    expect(a.world.irqs[virq]!.levels[0]!.programmed).toBe(false); // no ACTIVATE_EARLY
    expect(a.world.matrix.globalReserved).toBe(1);
    const w = must(a.world, req(virq), freeIrq(virq));
    const c = vecChip(w, virq);
    expect(c.vector).not.toBe(0);
    expect(allocBits(w)[c.cpu]).toContain(c.vector);
    expect(w.matrix.globalReserved).toBe(0);
    expect(totalAllocBits(w)).toBe(1);
  });

  it('6.2: a failed IMS allocation leaves no trace (its desc is erased again) [msi.c msi_domain_alloc_irq_at]', () => {
    const w0 = must(boot('6.2'), createIms());
    const o = run(w0, imsAlloc(3, { site: 'irte', index: 0 }));
    expect(o.kind).toBe('err');
    expect(snapshot(o.world)).toBe(snapshot(w0));
    expect(o.world.devices[DSA0]!.msiData!.stores[1]).toEqual({});
  });
});

describe('6.2 index stores', () => {
  it('6.2: msi_insert_desc at an occupied index is -EBUSY, at or beyond hwsize -ERANGE [msi.c msi_insert_desc]', () => {
    const w = must(boot('6.2'), msix(DSA0, 2));
    const at = (index: number): Op => ({ type: 'pciMsixAllocIrqAt', dev: DSA0, index, fail: null });
    const busy = run(w, at(1));
    expect(busy.kind === 'err' && busy.errno).toBe('EBUSY');
    const range = run(w, at(9));
    expect(range.kind === 'err' && range.errno).toBe('ERANGE');
    expect(snapshot(range.world)).toBe(snapshot(w));
  });

  it('6.2: IMS slots come from MSI_ANY_INDEX: lowest free slot, -EBUSY when all hwsize slots are taken, a freed slot is reused [msi.c msi_insert_desc, pci_ims_free_irq]', () => {
    const a = run(must(boot('6.2'), createIms(2)), imsAlloc(1));
    const b = run(a.world, imsAlloc(2));
    const full = run(b.world, imsAlloc(3));
    expect(full.kind === 'err' && full.errno).toBe('EBUSY');
    const ma = value<Map>(a);
    const w = must(b.world, { type: 'pciImsFreeIrq', dev: DSA0, index: ma.index, virq: ma.virq });
    expect(value<Map>(run(w, imsAlloc(4))).index).toBe(0);
  });

  it('6.2: pci_ims_free_irq with an invalid msi_map WARNs and does nothing [pci/msi/api.c pci_ims_free_irq]', () => {
    const a = run(must(boot('6.2'), createIms()), imsAlloc(1));
    const o = run(a.world, { type: 'pciImsFreeIrq', dev: DSA0, index: -22, virq: 0 });
    expect(o.kind).toBe('warned');
    expect(snapshot(o.world)).toBe(snapshot(a.world));
  });

  it('6.2: creating a second IMS domain while MSI_SECONDARY_DOMAIN is populated WARNs and fails [msi.c msi_create_device_irq_domain]', () => {
    const w = must(boot('6.2'), createIms());
    const o = run(w, createIms());
    expect(o.kind).toBe('warned');
    expect(Object.keys(o.world.domains)).toEqual(Object.keys(w.domains));
  });

  it("6.2: an IMS message is in remappable format pointing at the PF unit's IRTE [irq_remapping.c intel_ir_compose_msi_msg]", () => {
    const a = run(must(boot('6.2'), createIms()), imsAlloc(1));
    const { virq } = value<Map>(a);
    const w = must(a.world, req(virq));
    expect(w.irqs[virq]!.levels[0]!.chip).toEqual({
      kind: 'msi',
      msg: { format: 'remappable', unit: 0, index: irChip(w, virq).irteIndex, sub: 0 },
    });
  });
});
