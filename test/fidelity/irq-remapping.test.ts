/*
 * Fidelity: Intel interrupt remapping - IRTE blocks, hwirq, source-id, activation (spec 1.5, 2.2, 2.3, 2.5)
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0, DSA1, NIC } from '../helpers.ts';
import { pciRid, MANAGED_IRQ_SHUTDOWN_VECTOR, smallConfig } from '../../models/world/platform.ts';
import {
  allocBits,
  coreAlloc,
  coreFree,
  devVirqs,
  dom,
  freeIrq,
  irChip,
  irLevel,
  msi,
  msix,
  must,
  offline,
  req,
  run,
  setAff,
  snapshot,
  vecChip,
} from './util.ts';

/** 5.10: IRTE 0 taken by one DSA0 MSI-X vector, then a 3-vector multi-MSI on the NIC (same unit) */
const multiMsi3 = () => must(boot('5.10'), msix(DSA0, 1), msi(NIC, 3));

describe('Intel IR: IRTE allocation', () => {
  it('a 3-vector multi-MSI IR allocation takes a naturally aligned block of 4 IRTEs [irq_remapping.c alloc_irte]', () => {
    const w = multiMsi3();
    expect(devVirqs(w, NIC)).toHaveLength(3);
    expect(w.units[0]!.irteBitmap).toEqual([0, 4, 5, 6, 7]);
    const c = irChip(w, devVirqs(w, NIC)[0]!);
    expect(c.irteIndex).toBe(4);
    expect(c.irteMask).toBe(2);
  });

  it('the IR level hwirq is irte_index << 16 | sub_handle [irq_remapping.c intel_irq_remapping_alloc]', () => {
    const w = multiMsi3();
    const vs = devVirqs(w, NIC);
    expect(vs.map((v) => irLevel(w, v).hwirq)).toEqual([(4 << 16) + 0, (4 << 16) + 1, (4 << 16) + 2]);
    expect(vs.map((v) => irChip(w, v).subHandle)).toEqual([0, 1, 2]);
  });

  it('an IRTE block is released only through sub-handle 0 [irq_remapping.c clear_entries]', () => {
    const w = multiMsi3();
    const [v0, v1] = devVirqs(w, NIC);
    const w1 = must(w, coreFree(v1!, 1)); // sub-handle 1: the block stays
    expect(w1.units[0]!.irteBitmap).toEqual([0, 4, 5, 6, 7]);
    const w2 = must(w1, coreFree(v0!, 1)); // sub-handle 0: the whole block goes
    expect(w2.units[0]!.irteBitmap).toEqual([0]);
  });

  it('MSI-X allocates one IRTE per vector (one desc of one vector each) [irq_remapping.c alloc_irte, msi.c msi_domain_alloc_irqs]', () => {
    const w = must(boot('6.2'), msix(DSA0, 9));
    expect(w.units[0]!.irteBitmap).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(devVirqs(w, DSA0).map((v) => irChip(w, v).irteMask)).toEqual(Array(9).fill(0));
  });

  it('an MSI-X IRTE carries SID = requester id of the PCI function and SVT = verify [irq_remapping.c set_msi_sid]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w = must(w1, req(v!));
    const irte = w.units[0]!.irtes[irChip(w, v!).irteIndex]!;
    expect(irte.present).toBe(true);
    expect(irte.sid).toBe(pciRid(0x6a, 1, 0));
    expect(irte.svt).toBe(1);
  });

  it('a device behind DRHD1 gets its IRTEs from DRHD1, not DRHD0 [dmar.c dmar_find_matched_drhd_unit]', () => {
    const w = must(boot('6.2'), msix(DSA1, 2));
    expect(w.units[1]!.irteBitmap).toEqual([0, 1]);
    expect(w.units[0]!.irteBitmap).toEqual([]);
    expect(irChip(w, devVirqs(w, DSA1)[0]!).unit).toBe(1);
  });

  it('an IRTE allocation failure frees the parent vectors, and the PCI error path frees the earlier descs: no trace [irq_remapping.c intel_irq_remapping_alloc, msi.c free_msi_irqs]', () => {
    const w0 = boot('5.10');
    const o = run(w0, msix(DSA0, 2, 2, { fail: { site: 'irte', index: 1 } }));
    expect(o.kind).toBe('err');
    expect(snapshot(o.world)).toBe(snapshot(w0));
  });
});

describe('Intel IR: activation and affinity', () => {
  it('free_irq leaves the IRTE non-present but still owned until the interrupt is freed [irq_remapping.c intel_irq_remapping_deactivate]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w = must(w1, req(v!), freeIrq(v!));
    expect(w.units[0]!.irtes[0]?.present ?? false).toBe(false);
    expect(w.units[0]!.irteBitmap).toEqual([0]);
  });

  it('reservation-mode early activation programs the IRTE with the dummy vector 0xEF [irq_remapping.c intel_irq_remapping_activate, spec I5]', () => {
    const w = must(boot('6.2'), msix(DSA0, 1));
    const irte = w.units[0]!.irtes[0]!;
    expect(irte.present).toBe(true);
    expect(irte.vector).toBe(MANAGED_IRQ_SHUTDOWN_VECTOR);
  });

  it('IR set_affinity moves the vector and frees the old one at once: no prev_vector left [irq_remapping.c intel_ir_set_affinity]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w2 = must(w1, req(v!));
    const old = vecChip(w2, v!);
    const target = old.cpu === 2 ? 1 : 2;
    const w3 = must(w2, setAff(v!, [target]));
    const c = vecChip(w3, v!);
    expect(c.cpu).toBe(target);
    expect(c.prevVector).toBe(0);
    expect(c.moveInProgress).toBe(false);
    expect(allocBits(w3)[old.cpu]).toEqual([]);
    expect(w3.units[0]!.irtes[irChip(w3, v!).irteIndex]!.destCpu).toBe(target);
  });
});

describe('Intel IR: refusals', () => {
  it('intel_irq_remapping_alloc refuses more than one irq per call for non-MSI alloc types: -EINVAL, no trace [irq_remapping.c intel_irq_remapping_alloc]', () => {
    const w0 = boot('6.2');
    const o = run(w0, coreAlloc(dom(w0, 'INTEL-IR-0').id, 2));
    expect(o.kind === 'err' && o.errno).toBe('EINVAL');
    expect(snapshot(o.world)).toBe(snapshot(w0));
  });

  it("5.10: a multi-MSI block above the unit's max handle mask fails (-ENOSPC from the MSI core) with no trace [irq_remapping.c alloc_irte ecap_max_handle_mask]", () => {
    const cfg = { ...smallConfig, units: smallConfig.units.map((u) => ({ ...u, maxHandleMask: 1 })) };
    const w0 = boot('5.10', { config: cfg });
    const o = run(w0, msi(NIC, 4));
    expect(o.kind === 'err' && o.errno).toBe('ENOSPC');
    expect(snapshot(o.world)).toBe(snapshot(w0));
  });

  it('IR set_affinity keeps the vector when its CPU is still in the new mask [vector.c assign_vector_locked]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w2 = must(w1, req(v!));
    const c = vecChip(w2, v!);
    const w3 = must(w2, setAff(v!, [c.cpu, (c.cpu + 1) % 4]));
    expect([vecChip(w3, v!).cpu, vecChip(w3, v!).vector]).toEqual([c.cpu, c.vector]);
  });

  it('irq_set_affinity with no online CPU in the mask is -EINVAL for an activated IR irq [manage.c irq_do_set_affinity]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1), offline(3));
    const [v] = devVirqs(w1, DSA0);
    const o = run(must(w1, req(v!)), setAff(v!, [3]));
    expect(o.kind === 'err' && o.errno).toBe('EINVAL');
  });
});
