/*
 * test/invariants/lifetime.test.ts - who may outlive whom (spec I13-I17) and the kernel's own
 * reactions (BUG, use-after-free)
 *
 * The kernel checks almost none of these rules; the misuse sequences below are accepted by the
 * model (ok or warned) and only the invariants notice. dmar-removal-clean has no operation (DMAR
 * hot-remove is not modelled), so its worlds are edited by hand.
 */
import { describe, expect, it } from 'vitest';
import { apply, boot, checkState, DSA0, DSA1, NIC } from '../helpers.ts';
import { checkStep } from '../../properties/index.ts';
import { findDesign } from '../../models/designs/index.ts';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import { smallConfig } from '../../models/world/platform.ts';
import type { World } from '../../models/world/types.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import {
  cleanLifecycle,
  holdsOnEveryStep,
  holdsThroughout,
  ids,
  reported,
  session,
  stateInvariant,
  stepInvariant,
  versions,
} from './fixtures.ts';

function dsa0WithVectors(version: KernelVersion, n = 8, quirks = false) {
  const s = session(version, quirks);
  s.ok({ type: 'driverProbe', dev: DSA0, managed: false, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: DSA0, min: n, max: n, irqType: 'msix', affinity: false, fail: null });
  return s;
}

/** the domain a PCI device of @unit points at (5.10 INTEL-IR-MSI-n, 6.2 INTEL-IR-n) */
const irMsiDomain = (w: World, unit: number): number =>
  w.profile.version === '5.10' ? w.units[unit]!.irMsiDomain! : w.units[unit]!.irDomain!;

/** DMAR unit @unit hot-removed (not an operation of the model: only the unit's flag changes) */
const removeUnit = (w: World, unit: number): World => ({
  ...w,
  units: w.units.map((u) => (u.id === unit ? { ...u, present: false } : u)),
});

describe('domain-outlives-users (I13)', () => {
  const inv = stateInvariant('domain-outlives-users');

  it('5.10: irqDomainRemove of the INTEL-IR-MSI domain DSA0 allocated from leaves dev->msi_domain dangling', () => {
    const s = dsa0WithVectors('5.10');
    s.do({ type: 'irqDomainRemove', domain: irMsiDomain(s.world, 0) });
    expect(s.last.outcome.kind).toBe('warned'); // the kernel only WARNs about the revmap tree
    expect(reported(checkState(s.world), 'domain-outlives-users')).toBe(
      '0000:6a:01.0: dev->msi_domain points at removed domain INTEL-IR-MSI-0 (removed)',
    );
  });

  it('6.2: irqDomainRemove of INTEL-IR-0 under a live device domain leaves its parent pointer dangling', () => {
    const s = dsa0WithVectors('6.2');
    s.do({ type: 'irqDomainRemove', domain: irMsiDomain(s.world, 0) });
    expect(reported(checkState(s.world), 'domain-outlives-users')).toBe(
      "IR-PCI-MSIX-0000:6a:01.0's parent INTEL-IR-0 (removed) is gone: dangling parent pointer",
    );
  });

  it('6.2: msiRemoveDeviceIrqDomain with MSI-X vectors still allocated leaves irqs mapping through it', () => {
    const s = dsa0WithVectors('6.2');
    s.do({ type: 'msiRemoveDeviceIrqDomain', dev: DSA0, domid: 0 });
    expect(s.last.outcome.kind).toBe('warned');
    expect(reported(checkState(s.world), 'domain-outlives-users')).toBe(
      'irq 1 still maps through removed domain IR-PCI-MSIX-0000:6a:01.0 (removed)',
    );
  });

  it('5.10: a device left pointing at the removed global PCI-MSI domain is reported (hand-built pointer)', () => {
    const w = boot('5.10');
    const r = apply(w, [{ type: 'irqDomainRemove', domain: w.defaultPciMsiDomain! }]);
    expect(r.outcomes[0]!.kind).toBe('ok');
    const pointing: World = {
      ...r.world,
      devices: { ...r.world.devices, [NIC]: { ...r.world.devices[NIC]!, msiDomain: w.defaultPciMsiDomain } },
    };
    expect(inv.check(pointing)).toBe('0000:17:00.0: dev->msi_domain points at removed domain PCI-MSI (removed)');
  });

  // I13: "it is not the default host. Removal otherwise = UAF in the kernel." On x86 5.10 the
  // default is x86_pci_msi_default_domain, which irq_domain_remove() does not clear: every PCI
  // device added later gets the dangling pointer. Expected to FAIL today: irqDomainRemove()
  // resets world.defaultPciMsiDomain to null, so the invariant's "default PCI-MSI domain was
  // removed" clause can never fire (see the report).
  it('5.10: irqDomainRemove of the default PCI-MSI domain itself is reported', () => {
    const w = boot('5.10');
    const r = apply(w, [{ type: 'irqDomainRemove', domain: w.defaultPciMsiDomain! }]);
    expect(r.outcomes[0]!.kind).toBe('ok');
    expect(reported(r.violations, 'domain-outlives-users')).toMatch(/PCI-MSI/);
  });

  it("a design's static domain pointer left on a removed domain (rfc-v2-dev-msi's default, hand-removed)", () => {
    const d = findDesign('rfc-v2-dev-msi')!;
    const w = bootWorld(kernelProfile('5.10', { quirks: false }), smallConfig, d);
    expect(inv.check(w)).toBeNull();
    const def = w.designDomains['dev_msi_default_domain']!;
    // nothing sits on the domain, so only the static pointer is left dangling
    const r = apply(w, [{ type: 'irqDomainRemove', domain: def }]);
    expect(r.outcomes[0]!.kind).toBe('ok');
    expect(reported(r.violations, 'domain-outlives-users')).toMatch(
      /^(dev_msi_default_domain|iommu0->ir_dev_msi_domain) points at removed domain INTEL-IR-DEV-MSI-0 \(removed\)$/,
    );
  });

  it.each(versions)(
    '%s: holds through the clean lifecycle, which removes its platform-MSI (and 6.2 IMS) domain when unused',
    (v) => {
      const s = cleanLifecycle(v);
      expect(
        s.trace.filter((t) => t.op.type === 'irqDomainRemove' || t.op.type === 'msiRemoveDeviceIrqDomain'),
      ).toHaveLength(v === '6.2' ? 2 : 1);
      expect(Object.keys(s.world.domains).length).toBeLessThan(s.world.nextDomainId);
      holdsThroughout(s, inv);
    },
  );
});

describe('device-outlives-pointers (I14)', () => {
  const inv = stateInvariant('device-outlives-pointers');

  it.each(versions)(
    '%s: deviceUnregister with vectors still allocated leaves descs pointing at the freed device',
    (v) => {
      const s = dsa0WithVectors(v);
      s.do({ type: 'deviceUnregister', dev: DSA0 });
      expect(reported(checkState(s.world), 'device-outlives-pointers')).toBe(
        'msi_desc #0 points at released device #0',
      );
    },
  );

  it.each(versions)('%s: a handler whose dev_id is a device unregistered under it', (v) => {
    const s = session(v);
    const virq = s.ok<number>({
      type: 'irqDomainAllocIrqs',
      client: 'client0',
      domain: s.world.vectorDomain,
      n: 1,
      cpus: null,
      fail: null,
    });
    s.ok({ type: 'requestIrq', virq, dev: NIC, devm: false });
    s.ok({ type: 'deviceUnregister', dev: NIC });
    expect(reported(checkState(s.world), 'device-outlives-pointers')).toBe(
      `irq ${virq}'s handler has dev_id of released device #2`,
    );
  });

  it('6.2: a device domain whose device was released is reported (hand-built)', () => {
    const s = dsa0WithVectors('6.2', 1);
    const w: World = {
      ...s.world,
      devices: { ...s.world.devices, [DSA0]: { ...s.world.devices[DSA0]!, released: true } },
    };
    expect(inv.check(w)).toBe('IR-PCI-MSIX-0000:6a:01.0 belongs to released device #0');
  });

  it.each(versions)('%s: holds through the clean lifecycle, ending with an orderly unregister', (v) => {
    const s = cleanLifecycle(v);
    expect(s.world.devices[DSA1]!.released).toBe(true);
    holdsThroughout(s, inv);
    // devres freed DSA0's vectors and its devm handler at unbind: it can go too
    s.ok({ type: 'deviceUnregister', dev: DSA0 });
    expect(inv.check(s.world)).toBeNull();
  });
});

describe('no-double-free (I15)', () => {
  const inv = stepInvariant('no-double-free');

  it.each(versions)('%s: free_irq twice', (v) => {
    const s = dsa0WithVectors(v, 1);
    s.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: false });
    s.ok({ type: 'freeIrq', virq: 1 });
    expect(s.last.violations).toEqual([]);
    s.do({ type: 'freeIrq', virq: 1 });
    expect(s.last.outcome.kind).toBe('warned');
    expect(reported(s.last.violations, 'no-double-free')).toBe(
      'free_irq(1) with no handler installed: double free_irq',
    );
  });

  it.each(versions)('%s: irqDomainFreeIrqs twice, and of a virq owned by an MSI desc', (v) => {
    const w = boot(v);
    const r = apply(w, [
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: w.vectorDomain, n: 2, cpus: null, fail: null },
      { type: 'irqDomainFreeIrqs', client: 'client1', virq: 1, n: 2 },
      { type: 'irqDomainFreeIrqs', client: 'client1', virq: 1, n: 2 },
    ]);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'warned']);
    expect(r.violations.map((x) => x.invariant)).toEqual(['no-double-free']);
    expect(r.violations[0]!.message).toBe('client1 frees irq 1 twice');

    const s = dsa0WithVectors(v, 2);
    const before = s.world;
    const op = { type: 'irqDomainFreeIrqs', client: 'client0', virq: 2, n: 1 } as const;
    const o = s.do(op);
    expect(inv.check(before, op, o)).toBe('client0 frees irq 2..2, which it does not own (an MSI interrupt)');
  });

  it('6.2: pciMsixFreeIrq and pciImsFreeIrq of an msi_map already freed', () => {
    const s = dsa0WithVectors('6.2', 4);
    const at = s.ok<{ index: number; virq: number }>({
      type: 'pciMsixAllocIrqAt',
      dev: DSA0,
      index: 'any',
      fail: null,
    });
    expect(at.index).toBe(4);
    s.ok({ type: 'pciMsixFreeIrq', dev: DSA0, index: at.index, virq: at.virq });
    s.do({ type: 'pciMsixFreeIrq', dev: DSA0, index: at.index, virq: at.virq });
    expect(reported(s.last.violations, 'no-double-free')).toBe(`msi_map {index 4, irq ${at.virq}} freed twice`);

    s.ok({ type: 'pciCreateImsDomain', dev: DSA0, hwsize: 16 });
    const ims = s.ok<{ index: number; virq: number }>({ type: 'pciImsAllocIrq', dev: DSA0, icookie: 1, fail: null });
    s.ok({ type: 'pciImsFreeIrq', dev: DSA0, index: ims.index, virq: ims.virq });
    // the slot is reused for another PASID: the first caller's stale map now frees the new one
    const again = s.ok<{ index: number; virq: number }>({ type: 'pciImsAllocIrq', dev: DSA0, icookie: 2, fail: null });
    expect(again.index).toBe(ims.index);
    const before = s.world;
    const op = { type: 'pciImsFreeIrq', dev: DSA0, index: ims.index, virq: ims.virq + 100 } as const;
    const o = s.do(op);
    expect(inv.check(before, op, o)).toBe(
      `stale msi_map {index 0, irq ${ims.virq + 100}}: index 0 now belongs to irq ${again.virq}, which gets freed`,
    );
    expect(s.world.descs).not.toHaveProperty(String(before.devices[DSA0]!.msiData!.stores[1][0]));
  });

  // I15: "freeing an already-freed virq is a bug even though the kernel just WARNs". A driver
  // that free_irq()s a devm-requested irq leaves the devres entry, and unbind free_irq()s it a
  // second time (WARN "Trying to free already-free IRQ"). Expected to FAIL today: the check only
  // looks at freeIrq/irqDomainFreeIrqs/pci*FreeIrq operations, not at the free_irq() that
  // devres release runs inside deviceReleaseDriver/deviceUnregister (see the report).
  it.each(versions)('%s: free_irq of a devm-requested irq, then unbind frees it a second time through devres', (v) => {
    const s = session(v);
    s.ok({ type: 'driverProbe', dev: DSA0, managed: true, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: DSA0, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    s.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: true });
    s.ok({ type: 'freeIrq', virq: 1 });
    s.do({ type: 'deviceReleaseDriver', dev: DSA0 });
    expect(s.last.outcome).toMatchObject({ kind: 'warned', why: 'Trying to free already-free IRQ 1' });
    const vs = s.trace.slice(-2).flatMap((t) => t.violations);
    expect(reported(vs, 'no-double-free')).toMatch(/\b1\b/);
  });

  it.each(versions)('%s: holds on every step of the clean lifecycle, which frees by every API', (v) => {
    const s = cleanLifecycle(v);
    const frees = new Set(s.trace.map((t) => t.op.type).filter((t) => /Free|free/.test(t)));
    expect([...frees].sort()).toEqual(
      v === '6.2'
        ? [
            'freeIrq',
            'irqDomainFreeIrqs',
            'pciFreeIrqVectors',
            'pciImsFreeIrq',
            'pciMsixFreeIrq',
            'platformMsiDomainFreeIrqs',
          ]
        : ['freeIrq', 'irqDomainFreeIrqs', 'pciFreeIrqVectors', 'platformMsiDomainFreeIrqs'],
    );
    holdsOnEveryStep(s, inv);
  });
});

describe('no-free-with-handler (I16)', () => {
  const inv = stateInvariant('no-free-with-handler');

  it('6.2: pciFreeIrqVectors with a handler installed frees the irq and leaks its irqaction', () => {
    const s = dsa0WithVectors('6.2');
    s.ok({ type: 'requestIrq', virq: 3, dev: DSA0, devm: false });
    s.ok({ type: 'pciFreeIrqVectors', dev: DSA0 });
    expect(reported(checkState(s.world), 'no-free-with-handler')).toBe(
      'irq 3 freed while a handler was still installed (the irqaction leaks)',
    );
  });

  it.each(versions)('%s: a direct user freeing its irq before free_irq', (v) => {
    const w = boot(v);
    const r = apply(w, [
      { type: 'irqDomainAllocIrqs', client: 'client0', domain: w.vectorDomain, n: 2, cpus: null, fail: null },
      { type: 'requestIrq', virq: 2, dev: null, devm: false },
      { type: 'irqDomainFreeIrqs', client: 'client0', virq: 1, n: 2 },
    ]);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);
    expect(reported(r.violations, 'no-free-with-handler')).toBe(
      'irq 2 freed while a handler was still installed (the irqaction leaks)',
    );
  });

  it.each(versions)(
    '%s: holds through the clean lifecycle, where devres frees a devm handler before the vectors',
    (v) => {
      const s = cleanLifecycle(v);
      const unbind = s.trace.find((t) => t.op.type === 'deviceReleaseDriver' && t.op.dev === DSA0)!;
      expect(Object.values(unbind.before.irqs).some((d) => d.action?.devm)).toBe(true);
      holdsThroughout(s, inv);
    },
  );
});

describe('dmar-removal-clean (I17)', () => {
  const inv = stateInvariant('dmar-removal-clean');

  it.each(versions)("%s: a DMAR unit removed while DSA0's IRTEs are allocated (hand-built)", (v) => {
    const s = dsa0WithVectors(v);
    expect(inv.check(s.world)).toBeNull();
    expect(reported(checkState(removeUnit(s.world, 0)), 'dmar-removal-clean')).toBe(
      'DRHD0 was removed with 8 IRTEs allocated',
    );
  });

  it('5.10: removing DRHD1 at boot leaves INTEL-IR-MSI-1 on its IR domain (hand-built)', () => {
    expect(reported(checkState(removeUnit(boot('5.10'), 1)), 'dmar-removal-clean')).toBe(
      'INTEL-IR-MSI-1 still sits on the IR domain of removed DRHD1',
    );
  });

  it('6.2: removing DRHD1 with no IRTEs but DSA1 (and its device domain) still on it (hand-built)', () => {
    expect(reported(checkState(removeUnit(boot('6.2'), 1)), 'dmar-removal-clean')).toBe(
      '0000:6f:01.0 still points at the IR domain of removed DRHD1',
    );
    const s = session('6.2');
    s.ok({ type: 'driverProbe', dev: DSA1, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: DSA1, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    s.ok({ type: 'pciFreeIrqVectors', dev: DSA1 });
    expect(s.world.units[1]!.irteBitmap).toEqual([]);
    expect(inv.check(removeUnit(s.world, 1))).toBe(
      'IR-PCI-MSIX-0000:6f:01.0 still sits on the IR domain of removed DRHD1',
    );
  });

  it.each(versions)(
    '%s: holds when DRHD1 goes after the clean lifecycle unregistered DSA1 (and 5.10 removed INTEL-IR-MSI-1)',
    (v) => {
      const s = cleanLifecycle(v);
      holdsThroughout(s, inv);
      if (v === '5.10') s.ok({ type: 'irqDomainRemove', domain: s.world.units[1]!.irMsiDomain! });
      const w = removeUnit(s.world, 1);
      expect(w.units[1]!.present).toBe(false);
      expect(inv.check(w)).toBeNull();
    },
  );
});

describe('no-kernel-bug (kernel BUG_ON)', () => {
  const inv = stepInvariant('no-kernel-bug');

  it('5.10: pciFreeIrqVectors with a handler installed hits BUG_ON in free_msi_irqs', () => {
    const s = dsa0WithVectors('5.10');
    s.ok({ type: 'requestIrq', virq: 2, dev: DSA0, devm: false });
    s.do({ type: 'pciFreeIrqVectors', dev: DSA0 });
    expect(s.last.outcome.kind).toBe('bug');
    expect(reported(s.last.violations, 'no-kernel-bug')).toBe('free_msi_irqs: BUG_ON(irq_has_action(2))');
    // the kernel is dead: its state is not judged (no state invariant reported)
    expect(ids(s.last.violations)).toEqual(['no-kernel-bug']);
  });

  it.each(versions)('%s: irqDomainAllocIrqs on an MSI/IR domain without an MSI descriptor', (v) => {
    const w = boot(v);
    const dom = irMsiDomain(w, 0);
    const op = { type: 'irqDomainAllocIrqs', client: 'client0', domain: dom, n: 1, cpus: null, fail: null } as const;
    const r = apply(w, [op]);
    expect(r.outcomes[0]!.kind).toBe('bug');
    expect(inv.check(w, op, r.outcomes[0]!)).toBe(
      v === '5.10'
        ? 'irq_domain_alloc_irqs(INTEL-IR-MSI-0) without an msi_desc: NULL pointer dereference in get_hwirq'
        : 'intel_irq_remapping_prepare_irte: unsupported allocation type for INTEL-IR-0',
    );
  });

  it.each(versions)('%s: holds on every step of the clean lifecycle', (v) => {
    const s = cleanLifecycle(v);
    expect(s.trace.length).toBeGreaterThan(50);
    holdsOnEveryStep(s, inv);
    // 6.2 frees vectors with a handler installed without BUG (only the leak, see I16)
    const t = dsa0WithVectors('6.2', 1);
    t.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: false });
    t.do({ type: 'pciFreeIrqVectors', dev: DSA0 });
    expect(inv.check(t.last.before, t.last.op, t.last.outcome)).toBeNull();
  });
});

describe('no-use-after-free', () => {
  const inv = stepInvariant('no-use-after-free');

  it("5.10: pciAllocIrqVectors after the device's INTEL-IR-MSI domain was removed", () => {
    const s = session('5.10');
    s.ok({ type: 'irqDomainRemove', domain: irMsiDomain(s.world, 0) });
    s.ok({ type: 'driverProbe', dev: DSA0, managed: false, fail: false });
    s.do({ type: 'pciAllocIrqVectors', dev: DSA0, min: 1, max: 4, irqType: 'msix', affinity: false, fail: null });
    expect(s.last.outcome.kind).toBe('use-after-free');
    expect(reported(s.last.violations, 'no-use-after-free')).toBe(
      '0000:6a:01.0: msi_domain INTEL-IR-MSI-0 (removed) was freed',
    );
  });

  it('6.2: request_irq on a vector whose device domain was removed under it', () => {
    const s = dsa0WithVectors('6.2', 2);
    s.do({ type: 'msiRemoveDeviceIrqDomain', dev: DSA0, domid: 0 });
    expect(s.last.outcome.kind).toBe('warned');
    const before = s.world;
    const op = { type: 'requestIrq', virq: 2, dev: DSA0, devm: false } as const;
    const o = s.do(op);
    expect(inv.check(before, op, o)).toBe('request_irq(2): level in freed domain IR-PCI-MSIX-0000:6a:01.0 (removed)');
    expect(checkStep(before, op, o).map((x) => x.invariant)).toEqual(['no-use-after-free']);
  });

  it.each(versions)('%s: unregistering a device twice', (v) => {
    const w = boot(v);
    const r = apply(w, [
      { type: 'deviceUnregister', dev: DSA1 },
      { type: 'deviceUnregister', dev: DSA1 },
    ]);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['ok', 'use-after-free']);
    expect(reported(r.violations, 'no-use-after-free')).toBe('device_unregister of released device #1');
  });

  it.each(versions)('%s: holds on every step of the clean lifecycle', (v) => {
    const s = cleanLifecycle(v);
    expect(s.trace.some((t) => t.op.type === 'irqDomainRemove')).toBe(true);
    holdsOnEveryStep(s, inv);
  });
});
