/*
 * Fidelity: the x86 vector domain and the vector matrix (spec 1.2, 1.4, 2.2, 2.3, 2.5)
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0, NIC } from '../helpers.ts';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../../models/world/platform.ts';
import {
  allocBits,
  coreAlloc,
  coreFree,
  devVirqs,
  exhaustVectors,
  freeIrq,
  msix,
  must,
  offline,
  req,
  run,
  setAff,
  snapshot,
  totalAllocBits,
  value,
  vecChip,
} from './util.ts';

describe('x86 vector domain', () => {
  it('the vector level hwirq equals the virq [vector.c x86_vector_alloc_irqs]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 2));
    const w2 = must(w1, coreFree(1, 1), coreAlloc(w0.vectorDomain, 3));
    for (const v of [2, 3, 4, 5]) expect(w2.irqs[v]!.levels[0]!.hwirq).toBe(v);
  });

  it('virqs are allocated contiguous, first fit from 1 [irqdomain.c irq_domain_alloc_descs]', () => {
    const w0 = boot('6.2');
    const vd = w0.vectorDomain;
    const a = run(w0, coreAlloc(vd, 2));
    expect(value<number>(a)).toBe(1);
    const b = run(a.world, coreAlloc(vd, 1));
    expect(value<number>(b)).toBe(3);
    const w = must(b.world, coreFree(1, 2));
    const c = run(w, coreAlloc(vd, 3)); // 1..2 is free but too short
    expect(value<number>(c)).toBe(4);
    const d = run(c.world, coreAlloc(vd, 2));
    expect(value<number>(d)).toBe(1);
  });

  it('a reservation-mode MSI-X vector only counts in global_reserved and points at 0xEF before request_irq [vector.c reserve_irq_vector_locked, msi.c msi_init_virq]', () => {
    const w = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w, DSA0);
    expect(w.matrix.globalReserved).toBe(1);
    expect(totalAllocBits(w)).toBe(0);
    expect(vecChip(w, v!).vector).toBe(0);
    expect(vecChip(w, v!).cfgVector).toBe(MANAGED_IRQ_SHUTDOWN_VECTOR);
    expect(w.irqs[v!]!.activated).toBe(false);
  });

  it('request_irq takes a real vector for a reserved MSI-X irq and free_irq returns it to the reservation [vector.c activate_reserved, x86_vector_deactivate]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w2 = must(w1, req(v!));
    const c = vecChip(w2, v!);
    expect(w2.matrix.globalReserved).toBe(0);
    expect(allocBits(w2)[c.cpu]).toContain(c.vector);
    expect(c.cfgVector).toBe(c.vector);
    const w3 = must(w2, freeIrq(v!));
    expect(w3.matrix.globalReserved).toBe(1);
    expect(totalAllocBits(w3)).toBe(0);
    expect(vecChip(w3, v!).cfgVector).toBe(MANAGED_IRQ_SHUTDOWN_VECTOR);
  });

  it('an allocation with info->mask takes a real vector at allocation time on a CPU of the mask [vector.c assign_irq_vector_policy]', () => {
    const w0 = boot('5.10');
    const w = must(w0, coreAlloc(w0.vectorDomain, 1, [2]));
    expect(w.matrix.globalReserved).toBe(0);
    expect(vecChip(w, 1).cpu).toBe(2);
    expect(allocBits(w)[2]).toEqual([vecChip(w, 1).vector]);
  });

  it('reservations may overcommit the vector space; the failure shows up as -ENOSPC at activation [matrix.c irq_matrix_reserve, vector.c activate_reserved]', () => {
    const w0 = boot('6.2');
    const cap = w0.matrix.globalAvailable; // 4 CPUs x 8
    const w1 = must(w0, coreAlloc(w0.vectorDomain, cap + 4));
    expect(w1.matrix.globalReserved).toBe(cap + 4);
    let w = w1;
    for (let v = 1; v <= cap; v++) w = must(w, req(v));
    const o = run(w, req(cap + 1));
    expect(o.kind).toBe('err');
    expect(o.kind === 'err' && o.errno).toBe('ENOSPC');
  });

  it('request_irq of a reserved vector fails with -ENOSPC when every CPU is full [vector.c assign_irq_vector_any_locked]', () => {
    const w = exhaustVectors(must(boot('6.2'), msix(DSA0, 1)));
    const [v] = devVirqs(w, DSA0);
    const o = run(w, req(v!));
    expect(o.kind === 'err' && o.errno).toBe('ENOSPC');
  });

  it('a managed vector reserves one managed bit on every CPU of its mask, offline CPUs included [matrix.c irq_matrix_reserve_managed]', () => {
    const w = must(boot('6.2'), offline(3), msix(DSA0, 1, 1, { affinity: true }));
    const [v] = devVirqs(w, DSA0);
    expect(w.irqs[v!]!.affinity).toEqual([0, 1, 2, 3]);
    for (const c of [0, 1, 2, 3]) {
      expect(w.matrix.maps[c]!.managed).toBe(1);
      expect(w.matrix.maps[c]!.managedMap).toHaveLength(1);
    }
    expect(totalAllocBits(w)).toBe(0);
  });

  it('irq_set_affinity on a not yet activated irq only stores the mask; activation then honours it [manage.c irq_set_affinity_deactivated]', () => {
    const w1 = must(boot('6.2'), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w2 = must(w1, setAff(v!, [3]));
    expect(totalAllocBits(w2)).toBe(0);
    expect(w2.irqs[v!]!.affinity).toEqual([3]);
    const w3 = must(w2, req(v!));
    expect(vecChip(w3, v!).cpu).toBe(3);
  });

  it('user space cannot change the affinity of a managed irq: -EIO [manage.c irq_can_set_affinity_usr]', () => {
    const w = must(boot('6.2'), msix(NIC, 4, 4, { affinity: true }));
    const [v] = devVirqs(w, NIC);
    const o = run(w, setAff(v!, [1], true));
    expect(o.kind === 'err' && o.errno).toBe('EIO');
  });

  it('a reserved vector whose affinity CPUs are full lands on another online CPU: "Affinity broken due to vector space exhaustion" [vector.c activate_reserved]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 8, [3]), msix(DSA0, 1));
    const [v] = devVirqs(w1, DSA0);
    const w = must(w1, setAff(v!, [3]), req(v!));
    expect(vecChip(w, v!).cpu).not.toBe(3);
    expect(w.irqs[v!]!.affinityBroken).toBe(true);
  });

  it('__irq_domain_alloc_irqs fails with -ENOMEM when no contiguous virq range fits below nr_irqs, leaving no trace [irqdesc.c __irq_alloc_descs]', () => {
    const w0 = boot('6.2');
    const o = run(w0, coreAlloc(w0.vectorDomain, w0.config.nrIrqs));
    expect(o.kind === 'err' && o.errno).toBe('ENOMEM');
    expect(snapshot(o.world)).toBe(snapshot(w0));
  });

  it('request_irq of a virq that was never allocated is -EINVAL [manage.c request_threaded_irq]', () => {
    const o = run(boot('5.10'), req(7));
    expect(o.kind === 'err' && o.errno).toBe('EINVAL');
  });

  it('a managed reservation fails with -ENOSPC if one CPU of the mask is full, rolling back the bits taken on the others [matrix.c irq_matrix_reserve_managed]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 8, [3]));
    const o = run(w1, msix(DSA0, 1, 1, { affinity: true })); // mask {0,1,2,3}
    expect(o.kind === 'err' && o.errno).toBe('ENOSPC');
    expect(o.world.matrix.maps.map((m) => m.managed)).toEqual([0, 0, 0, 0]);
    expect(snapshot(o.world)).toBe(snapshot(w1));
  });
});
