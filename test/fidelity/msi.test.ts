/*
 * Fidelity: the MSI layer, 5.10 PCI/MSI, and the misuse reactions of the core (spec 1.2, 2.2, 2.4, 2.5)
 */
import { describe, expect, it } from 'vitest';
import { apply, boot, DSA0, NIC } from '../helpers.ts';
import { pciRid } from '../../models/world/platform.ts';
import type { Op } from '../../models/ops.ts';
import {
  chainNames,
  coreAlloc,
  coreFree,
  devVirqs,
  dom,
  fire,
  freeIrq,
  freeVectors,
  msi,
  msiChip,
  msix,
  must,
  noIrConfig,
  req,
  run,
  setAff,
  value,
  vecChip,
} from './util.ts';

describe('5.10 PCI/MSI domains', () => {
  it('5.10: a PCI device under an IR unit gets INTEL-IR-MSI-<n>, whose chain is INTEL-IR-<n> -> VECTOR [irq_remapping.c intel_irq_remap_add_device]', () => {
    const w = must(boot('5.10'), msix(DSA0, 1));
    expect(w.devices[DSA0]!.msiDomain).toBe(dom(w, 'INTEL-IR-MSI-0').id);
    expect(dom(w, 'INTEL-IR-MSI-0').busToken).toBe('PCI_MSI');
    expect(chainNames(w, devVirqs(w, DSA0)[0]!)).toEqual(['INTEL-IR-MSI-0', 'INTEL-IR-0', 'VECTOR']);
  });

  it('5.10: the PCI-MSI level hwirq is msi index | RID << 11 [pci/msi/irqdomain.c pci_msi_domain_calc_hwirq]', () => {
    const w = must(boot('5.10'), msix(DSA0, 3));
    const rid = pciRid(0x6a, 1, 0);
    expect(devVirqs(w, DSA0).map((v) => w.irqs[v]!.levels[0]!.hwirq)).toEqual([0, 1, 2].map((i) => i | (rid << 11)));
  });

  it('5.10: multi-MSI on the global PCI-MSI domain (no IR) is capped to one vector [pci/msi/irqdomain.c pci_msi_domain_check_cap]', () => {
    const w0 = boot('5.10', { config: noIrConfig });
    expect(w0.devices[NIC]!.msiDomain).toBe(dom(w0, 'PCI-MSI').id);
    const o = run(w0, msi(NIC, 1, 4));
    expect(value<number>(o)).toBe(1);
    expect(devVirqs(o.world, NIC)).toHaveLength(1);
    const o2 = run(w0, msi(NIC, 2, 4));
    expect(o2.kind === 'err' && o2.errno).toBe('ENOSPC');
  });

  it('5.10: pci_free_irq_vectors with a handler still installed is BUG [pci/msi.c free_msi_irqs BUG_ON(irq_has_action)]', () => {
    const w1 = must(boot('5.10'), msix(DSA0, 2));
    const w = must(w1, req(devVirqs(w1, DSA0)[1]!));
    expect(run(w, freeVectors(DSA0)).kind).toBe('bug');
  });

  it('6.2: pci_free_irq_vectors with a handler still installed silently leaks the irqaction [5.17 rework removed the BUG_ON]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 2));
    const v = devVirqs(w1, DSA0)[1]!;
    const o = run(must(w1, req(v)), freeVectors(DSA0));
    expect(o.kind).toBe('ok');
    expect(o.world.freedWithAction).toEqual([v]);
    expect(o.world.irqs[v]).toBeUndefined();
  });

  it('5.10: dynamic MSI-X (pci_msix_alloc_irq_at) is not supported: -ENOTSUPP [pci/msi/api.c, 6.2 only]', () => {
    const w = must(boot('5.10'), msix(DSA0, 2));
    const o = run(w, { type: 'pciMsixAllocIrqAt', dev: DSA0, index: 5, fail: null });
    expect(o.kind === 'err' && o.errno).toBe('ENOTSUPP');
  });
});

describe('pci_alloc_irq_vectors argument checks', () => {
  it('enabling MSI-X while MSI-X is enabled is -EINVAL on 5.10 and WARN + -EINVAL on 6.2 [pci/msi.c __pci_enable_msix_range]', () => {
    const o5 = run(must(boot('5.10'), msix(DSA0, 1)), msix(DSA0, 1));
    expect(o5.kind === 'err' && o5.errno).toBe('EINVAL');
    const o6 = run(must(boot('6.2'), msix(DSA0, 1)), msix(DSA0, 1));
    expect(o6.kind).toBe('warned');
    expect(o6.kind === 'warned' && o6.errno).toBe('EINVAL');
  });

  it('MSI-X with min above the table size is -ENOSPC; with only max above it the table size is granted [pci/msi.c __pci_enable_msix_range]', () => {
    const w0 = boot('6.2');
    const o = run(w0, msix(DSA0, 10, 12));
    expect(o.kind === 'err' && o.errno).toBe('ENOSPC');
    expect(value<number>(run(w0, msix(DSA0, 2, 16)))).toBe(9);
  });
});

describe('core misuse reactions', () => {
  it('free_irq of an irq without a handler WARNs "Trying to free already-free IRQ" [manage.c __free_irq]', () => {
    const w0 = boot('6.2');
    const w = must(w0, coreAlloc(w0.vectorDomain, 1));
    const o = run(w, freeIrq(1));
    expect(o.kind).toBe('warned');
    expect(o.kind === 'warned' && o.why).toMatch(/already-free/);
  });

  it('a second irq_domain_free_irqs of the same virq WARNs "NULL pointer, cannot free irq" [irqdomain.c irq_domain_free_irqs]', () => {
    const w0 = boot('5.10');
    const w = must(w0, coreAlloc(w0.vectorDomain, 1), coreFree(1, 1));
    const o = run(w, coreFree(1, 1));
    expect(o.kind).toBe('warned');
    expect(o.kind === 'warned' && o.why).toMatch(/NULL pointer, cannot free irq/);
  });
});

describe('stale frees', () => {
  it("a stale irq_domain_free_irqs of a re-allocated virq tears down the new owner's interrupt without any kernel reaction (ABA) [irqdomain.c irq_domain_free_irqs, spec 2.2, I15]", () => {
    const w0 = boot('6.2');
    const vd = w0.vectorDomain;
    const w1 = must(w0, coreAlloc(vd, 1), coreFree(1, 1));
    const w2 = must(w1, { type: 'irqDomainAllocIrqs', client: 'client1', domain: vd, n: 1, cpus: null, fail: null });
    expect(w2.irqs[1]).toBeDefined(); // virq 1 reused by client1
    const r = apply(w2, [coreFree(1, 1)]);
    expect(r.outcomes[0]!.kind).toBe('ok');
    expect(r.world.irqs[1]).toBeUndefined();
    expect(r.violations.map((x) => x.invariant)).toContain('no-double-free');
  });
});

describe('non-IR affinity', () => {
  it('without IR a move stays pending until the interrupt fires, then leaves prev_vector until the first interrupt on the new CPU [vector.c apic_set_affinity, irq_complete_move]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 1), req(1));
    const old = vecChip(w1, 1);
    const target = old.cpu === 2 ? 1 : 2;
    const w2 = must(w1, setAff(1, [target]));
    expect(vecChip(w2, 1).cpu).toBe(old.cpu); // no IRQ_MOVE_PCNTXT: pending
    const w3 = must(w2, fire(1));
    expect(vecChip(w3, 1).cpu).toBe(target);
    expect(vecChip(w3, 1).prevVector).toBe(old.vector);
    expect(w3.matrix.maps[old.cpu]!.allocMap).toContain(old.vector);
    const w4 = must(w3, fire(1));
    expect(vecChip(w4, 1).prevVector).toBe(0);
    expect(w4.matrix.maps[old.cpu]!.allocMap).not.toContain(old.vector);
  });

  it('without IR the MSI message in the device is rewritten with the new vector and CPU [msi.c msi_domain_set_affinity]', () => {
    const w1 = must(boot('5.10', { config: noIrConfig }), msix(NIC, 1));
    const [v] = devVirqs(w1, NIC);
    const w2 = must(w1, req(v!));
    const target = vecChip(w2, v!).cpu === 2 ? 1 : 2;
    const ops: Op[] = [setAff(v!, [target]), fire(v!)];
    const w3 = must(w2, ...ops);
    const c = vecChip(w3, v!);
    expect(c.cpu).toBe(target);
    expect(msiChip(w3, v!).msg).toEqual({ format: 'direct', vector: c.cfgVector, cpu: target });
  });
});
