/*
 * Fidelity: platform-MSI (spec 1.2, 2.3, 2.4 platform_msi_domain_alloc_irqs, I7, I8)
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0, PLAT } from '../helpers.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import type { FailPoint } from '../../models/kernel/irq/hierarchy.ts';
import type { DevId, World } from '../../models/world/types.ts';
import type { Op } from '../../models/ops.ts';
import { dom, devVirqs, freeIrq, msiChip, must, probe, req, run, totalAllocBits, value, vecChip } from './util.ts';

const alloc = (dev: DevId, nvec: number, fail: FailPoint | null = null): Op => ({
  type: 'platformMsiDomainAllocIrqs',
  dev,
  nvec,
  fail,
});
const free = (dev: DevId): Op => ({ type: 'platformMsiDomainFreeIrqs', dev });

/** a PLATFORM_MSI domain on VECTOR, assigned to plat0, driver bound */
function platWorld(v: KernelVersion, quirks = false): { w: World; id: number } {
  const w0 = boot(v, { quirks });
  const c = run(w0, { type: 'platformMsiCreateIrqDomain', parent: w0.vectorDomain });
  const id = value<number>(c);
  return { w: must(c.world, { type: 'devSetMsiDomain', dev: PLAT, domain: id }, probe(PLAT)), id };
}

describe('platform-MSI', () => {
  it('5.10: a second platform-MSI allocation for the same device is -EBUSY [platform-msi.c platform_msi_domain_alloc_irqs "Greed"]', () => {
    const w = must(platWorld('5.10').w, alloc(PLAT, 2));
    const o = run(w, alloc(PLAT, 1));
    expect(o.kind === 'err' && o.errno).toBe('EBUSY');
  });

  it('6.2: a second platform-MSI allocation for the same device is -EBUSY too [platform-msi.c platform_msi_alloc_priv_data]', () => {
    const w = must(platWorld('6.2').w, alloc(PLAT, 2));
    expect(run(w, alloc(PLAT, 1)).kind).toBe('err');
  });

  it('5.10: after platform_msi_domain_free_irqs the device may allocate again and the devid is reused [platform-msi.c platform_msi_domain_free_irqs]', () => {
    const w = must(platWorld('5.10').w, alloc(PLAT, 2), free(PLAT));
    expect(w.platformDevids).toEqual([]);
    const w2 = must(w, alloc(PLAT, 3));
    expect(w2.platformDevids).toEqual([0]);
    expect(w2.devices[PLAT]!.msiList).toHaveLength(3);
  });

  it('5.10: a device whose msi_domain has a PCI_MSI bus token is refused: -EINVAL "Incompatible msi_domain" [platform-msi.c platform_msi_alloc_priv_data]', () => {
    const w0 = boot('5.10');
    const w = must(w0, { type: 'devSetMsiDomain', dev: PLAT, domain: dom(w0, 'INTEL-IR-MSI-0').id });
    const o = run(w, alloc(PLAT, 1));
    expect(o.kind === 'err' && o.errno).toBe('EINVAL');
  });

  it('5.10: the platform-MSI hwirq is devid << 11 | msi_index, devids from a global IDA [platform-msi.c platform_msi_calc_hwirq]', () => {
    const { w, id } = platWorld('5.10');
    const w2 = must(w, alloc(PLAT, 1), { type: 'devSetMsiDomain', dev: DSA0, domain: id }, alloc(DSA0, 2));
    const hw = devVirqs(w2, DSA0).map((v) => w2.irqs[v]!.levels[0]!.hwirq);
    expect(hw).toEqual([(1 << 11) | 0, (1 << 11) | 1]);
  });

  it('platform-MSI has no early activation (no ACTIVATE_EARLY): the message is written only at request_irq [msi.c __msi_domain_alloc_irqs, manage.c irq_startup]', () => {
    const w = must(platWorld('5.10').w, alloc(PLAT, 1));
    const [v] = devVirqs(w, PLAT);
    expect(w.irqs[v!]!.levels[0]!.programmed).toBe(false);
    expect(msiChip(w, v!).msg).toBeNull();
    expect(totalAllocBits(w)).toBe(0);
    const w2 = must(w, req(v!));
    expect(msiChip(w2, v!).msg).toEqual({ format: 'direct', vector: vecChip(w2, v!).vector, cpu: vecChip(w2, v!).cpu });
  });

  it('6.2: a platform-MSI vector becomes fixed at its first activation and is kept after free_irq [msi.c msi_init_virq, vector.c x86_vector_deactivate, spec 7.2]', () => {
    const w = must(platWorld('6.2').w, alloc(PLAT, 1));
    const [v] = devVirqs(w, PLAT);
    const w2 = must(w, req(v!), freeIrq(v!));
    const c = vecChip(w2, v!);
    expect(c.vector).not.toBe(0);
    expect(w2.matrix.maps[c.cpu]!.allocMap).toEqual([c.vector]);
    expect(w2.matrix.globalReserved).toBe(0);
  });

  it('5.10: CAN_RESERVE is cleared only inside the ACTIVATE_EARLY loop, so a platform-MSI vector goes back to a reservation at free_irq [msi.c msi_domain_alloc_irqs (5.10), vector.c x86_vector_deactivate]', () => {
    const w = must(platWorld('5.10').w, alloc(PLAT, 1));
    const [v] = devVirqs(w, PLAT);
    const w2 = must(w, req(v!), freeIrq(v!));
    expect(vecChip(w2, v!).vector).toBe(0);
    expect(totalAllocBits(w2)).toBe(0);
    expect(w2.matrix.globalReserved).toBe(1);
  });

  it("5.10 (quirk): a platform-MSI allocation failing on the second desc leaks the first desc's virq [msi.c msi_domain_alloc_irqs 5.10, platform-msi.c]", () => {
    const w = platWorld('5.10', true).w;
    const o = run(w, alloc(PLAT, 2, { site: 'vector', index: 1 }));
    expect(o.kind).toBe('err');
    const left = Object.values(o.world.irqs);
    expect(left).toHaveLength(1);
    const owner = left[0]!.owner;
    expect(owner?.kind === 'msi' && o.world.descs[owner.desc]).toBeUndefined(); // back-pointer dangles
    expect(o.world.devices[PLAT]!.msiList).toEqual([]);
  });

  it('5.10: nvec outside 1..2048 and a device without msi_domain are -EINVAL [platform-msi.c platform_msi_alloc_priv_data]', () => {
    const w = platWorld('5.10').w;
    for (const n of [0, 2049]) {
      const o = run(w, alloc(PLAT, n));
      expect(o.kind === 'err' && o.errno).toBe('EINVAL');
    }
    const none = run(boot('5.10'), alloc(PLAT, 1));
    expect(none.kind === 'err' && none.errno).toBe('EINVAL');
  });
});
