/*
 * Fidelity: the hierarchy core - domain removal, activation order and rollback (spec 2.1, 2.2, 2.3, 7.5)
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0, NIC } from '../helpers.ts';
import { MANAGED_IRQ_SHUTDOWN_VECTOR, smallConfig } from '../../models/world/platform.ts';
import type { Op } from '../../models/ops.ts';
import {
  devVirqs,
  dom,
  exhaustVectors,
  irChip,
  msi,
  msiChip,
  msix,
  must,
  req,
  run,
  snapshot,
  totalAllocBits,
  vecChip,
} from './util.ts';

const remove = (domain: number): Op => ({ type: 'irqDomainRemove', domain });

describe('irq_domain_remove', () => {
  it("5.10: removing INTEL-IR-0 under its live child INTEL-IR-MSI-0 is not refused; the child's parent now dangles [irqdomain.c irq_domain_remove]", () => {
    const w0 = boot('5.10');
    const ir = dom(w0, 'INTEL-IR-0').id;
    const o = run(w0, remove(ir));
    expect(['ok', 'warned']).toContain(o.kind);
    const child = dom(o.world, 'INTEL-IR-MSI-0');
    expect(child.parent).toBe(ir);
    expect(o.world.domains[ir]).toBeUndefined();
    expect(o.world.devices[DSA0]!.msiDomain).toBe(child.id);
  });

  it('5.10: allocating through a child whose parent was removed is a use-after-free [irqdomain.c irq_domain_alloc_irq_data]', () => {
    const w0 = boot('5.10');
    const w = must(w0, remove(dom(w0, 'INTEL-IR-0').id));
    expect(run(w, msix(DSA0, 1)).kind).toBe('use-after-free');
  });

  it('removing an IR domain with a live IRTE index >= 1 (hwirq in the radix tree) WARNs [irqdomain.c irq_domain_remove WARN_ON(!radix_tree_empty)]', () => {
    const w = must(boot('6.2'), msix(DSA0, 2));
    const o = run(w, remove(dom(w, 'INTEL-IR-0').id));
    expect(o.kind).toBe('warned');
  });

  it('removing an IR domain whose only live hwirq is IRTE 0 (linear revmap) is silent [irqdomain.c irq_domain_remove, spec 7.5]', () => {
    const w = must(boot('6.2'), msix(DSA0, 1));
    const o = run(w, remove(dom(w, 'INTEL-IR-0').id));
    expect(o.kind).toBe('ok');
    expect(o.world.irqs[devVirqs(w, DSA0)[0]!]).toBeDefined(); // still live, pointing at a freed domain
  });
});

describe('allocation and activation', () => {
  it('the irq_data chain is a snapshot of the domain and all its ancestors, hwirq per level [irqdomain.c irq_domain_alloc_irq_data]', () => {
    const w = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w, DSA0);
    const lv = w.irqs[v!]!.levels;
    expect(lv.map((l) => l.domain)).toEqual([
      w.devices[DSA0]!.msiData!.domains[0],
      dom(w, 'INTEL-IR-0').id,
      w.vectorDomain,
    ]);
    expect(lv.map((l) => l.hwirq)).toEqual([0, 0, v]);
  });

  it('activation goes parent first: at request_irq the IRTE is written with the vector just assigned, not the dummy [irqdomain.c __irq_domain_activate_irq]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w = must(w1, req(v!));
    const c = vecChip(w, v!);
    const irte = w.units[0]!.irtes[irChip(w, v!).irteIndex]!;
    expect(c.vector).not.toBe(MANAGED_IRQ_SHUTDOWN_VECTOR);
    expect([irte.vector, irte.destCpu]).toEqual([c.vector, c.cpu]);
  });

  it('a failing activation at the vector level stops before the children: no real vector, IRTE untouched, not ACTIVATED [irqdomain.c __irq_domain_activate_irq]', () => {
    const w1 = exhaustVectors(must(boot('6.2'), msix(DSA0, 1)));
    const [v] = devVirqs(w1, DSA0);
    const o = run(w1, req(v!));
    expect(o.kind).toBe('err');
    const w = o.world;
    expect(w.irqs[v!]!.activated).toBe(false);
    expect(w.irqs[v!]!.action).toBeNull();
    expect(vecChip(w, v!).vector).toBe(0);
    expect(w.units[0]!.irtes[irChip(w, v!).irteIndex]!.vector).toBe(MANAGED_IRQ_SHUTDOWN_VECTOR);
    expect(msiChip(w, v!).msg).toEqual(msiChip(w1, v!).msg);
  });

  it('5.10: a failed early activation (non-maskable MSI, no reservation mode) unwinds the whole allocation [msi.c msi_domain_alloc_irqs cleanup, pci/msi.c free_msi_irqs]', () => {
    const cfg = { ...smallConfig, devices: smallConfig.devices.map((d) => ({ ...d, msiMaskable: false })) };
    const w0 = boot('5.10', { config: cfg });
    const o = run(w0, msi(NIC, 2, 2, { fail: { site: 'activate', index: 1 } }));
    expect(o.kind).toBe('err');
    expect(snapshot(o.world)).toBe(snapshot(w0));
    expect(totalAllocBits(o.world)).toBe(0);
  });

  it('5.10: without reservation mode (non-maskable MSI) early activation assigns a real vector at allocation [msi.c msi_check_reservation_mode]', () => {
    const cfg = { ...smallConfig, devices: smallConfig.devices.map((d) => ({ ...d, msiMaskable: false })) };
    const w = must(boot('5.10', { config: cfg }), msi(NIC, 1));
    const [v] = devVirqs(w, NIC);
    expect(w.irqs[v!]!.activated).toBe(true);
    expect(vecChip(w, v!).vector).not.toBe(0);
    expect(w.matrix.globalReserved).toBe(0);
  });
});
