/*
 * test/invariants/fixtures.ts - shared scaffolding of the invariant tests
 *
 * A Session applies operations one at a time and keeps every transition (world before, op,
 * outcome, world after, violations of that step), so a test can look at the state at the exact
 * step it cares about. cleanLifecycle() is a legal driver lifecycle (probe, MSI/MSI-X with and
 * without managed affinity, IR on both units, platform-MSI, a direct hierarchy user, CPU hotplug,
 * injected allocation failures, 6.2 dynamic MSI-X and IMS, orderly teardown) with quirks off: the
 * contract every invariant must accept.
 */
import { expect } from 'vitest';
import { boot, DSA0, DSA1, NIC, PLAT } from '../helpers.ts';
import { step, type StepOutcome } from '../../models/step.ts';
import type { Op } from '../../models/ops.ts';
import type { VectorChipData, World } from '../../models/world/types.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import type { FailSite } from '../../models/kernel/irq/hierarchy.ts';
import {
  checkStep,
  invariantById,
  type StateInvariant,
  type StepInvariant,
  type Violation,
} from '../../properties/index.ts';

export const versions: readonly KernelVersion[] = ['5.10', '6.2'];

export interface Transition {
  readonly before: World;
  readonly op: Op;
  readonly outcome: StepOutcome;
  readonly after: World;
  readonly violations: readonly Violation[];
}

export class Session {
  world: World;
  readonly trace: Transition[] = [];
  readonly initial: World;

  constructor(w: World) {
    this.world = w;
    this.initial = w;
  }

  /** apply @op whatever its outcome; after BUG/UAF the world stays as before (step() does that) */
  do(op: Op): StepOutcome {
    const before = this.world;
    const outcome = step(before, op);
    const violations = checkStep(before, op, outcome);
    this.trace.push({ before, op, outcome, after: outcome.world, violations });
    this.world = outcome.world;
    return outcome;
  }

  /** apply @op and require it to succeed; returns its value */
  ok<T = unknown>(op: Op): T {
    const o = this.do(op);
    if (o.kind !== 'ok') throw new Error(`${op.type} -> ${o.kind}: ${'why' in o ? o.why : ''}`);
    return o.value as T;
  }

  /** apply @op and require a clean error (an errno, no WARN) */
  fails(op: Op): StepOutcome {
    const o = this.do(op);
    if (o.kind !== 'err') throw new Error(`${op.type} was expected to fail with an errno, got ${o.kind}`);
    return o;
  }

  /** the last transition */
  get last(): Transition {
    return this.trace[this.trace.length - 1]!;
  }

  /** every world the session went through, the initial one first */
  get worlds(): World[] {
    return [this.initial, ...this.trace.map((t) => t.after)];
  }

  /** every violation of every step */
  get violations(): Violation[] {
    return this.trace.flatMap((t) => t.violations);
  }
}

export const session = (version: KernelVersion, quirks = false): Session => new Session(boot(version, { quirks }));

/** the registry entry of @id, which must be a state invariant */
export function stateInvariant(id: string): StateInvariant {
  const inv = invariantById(id);
  if (!inv) throw new Error(`no invariant ${id} in the registry`);
  if (inv.scope !== 'state') throw new Error(`${id} is a ${inv.scope} invariant`);
  return inv;
}

/** the registry entry of @id, which must be a step invariant */
export function stepInvariant(id: string): StepInvariant {
  const inv = invariantById(id);
  if (!inv) throw new Error(`no invariant ${id} in the registry`);
  if (inv.scope !== 'step') throw new Error(`${id} is a ${inv.scope} invariant`);
  return inv;
}

/** the message of @id among @vs; fails the test when @id is not there */
export function reported(vs: readonly Violation[], id: string): string {
  const v = vs.find((x) => x.invariant === id);
  expect(v, `expected ${id} among [${vs.map((x) => `${x.invariant}: ${x.message}`).join(' | ')}]`).toBeDefined();
  return v!.message;
}

/** the ids of @vs */
export const ids = (vs: readonly Violation[]): string[] => vs.map((v) => v.invariant);

/** a state invariant holds on every world of @s */
export function holdsThroughout(s: Session, inv: StateInvariant): void {
  for (const [i, w] of s.worlds.entries()) {
    const m = inv.check(w);
    expect(m, `${inv.id} after step ${i} (${i === 0 ? 'boot' : s.trace[i - 1]!.op.type})`).toBeNull();
  }
}

/** a step invariant holds on every transition of @s */
export function holdsOnEveryStep(s: Session, inv: StepInvariant): void {
  for (const [i, t] of s.trace.entries()) {
    const m = inv.check(t.before, t.op, t.outcome);
    expect(m, `${inv.id} at step ${i + 1} (${t.op.type})`).toBeNull();
  }
}

/**
 * the injected failure points an MSI-X allocation reaches ('activate' is not among them: PCI
 * MSI-X uses reservation mode, whose early activation takes no vector)
 */
export const failSites: readonly FailSite[] = ['irq-desc', 'irq-data', 'vector', 'irte', 'msi-desc'];

/**
 * cleanLifecycle() - a legal lifecycle on @version with quirks off; every step must succeed
 * except the injected failures, which must be clean errors. Ends with every interrupt freed.
 */
export function cleanLifecycle(version: KernelVersion): Session {
  const s = session(version);
  const v62 = version === '6.2';

  // DSA0: managed probe (pcim), 8 MSI-X vectors through DRHD0, two handlers (one devm)
  s.ok({ type: 'driverProbe', dev: DSA0, managed: true, fail: false });
  // injected failures first: each must roll back (failed-op-atomic) before anything is live
  for (const [i, site] of failSites.entries()) {
    s.fails({
      type: 'pciAllocIrqVectors',
      dev: DSA0,
      min: 8,
      max: 8,
      irqType: 'msix',
      affinity: i % 2 === 0,
      fail: { site, index: site === 'irq-desc' || site === 'irte' ? 3 : 2 },
    });
  }
  expect(
    s.ok<number>({
      type: 'pciAllocIrqVectors',
      dev: DSA0,
      min: 1,
      max: 8,
      irqType: 'msix',
      affinity: false,
      fail: null,
    }),
  ).toBe(8);
  const dsa0 = Object.values(s.world.irqs).map((d) => d.virq);
  s.ok({ type: 'requestIrq', virq: dsa0[0]!, dev: DSA0, devm: false });
  s.ok({ type: 'requestIrq', virq: dsa0[1]!, dev: DSA0, devm: true });
  s.ok({ type: 'irqSetAffinity', virq: dsa0[0]!, cpus: [2], fromUser: true });
  s.ok({ type: 'deviceFireIrq', virq: dsa0[0]! });
  s.ok({ type: 'deviceFireIrq', virq: dsa0[1]! });

  // NIC: unmanaged probe, multi-MSI with managed affinity (one IRTE block of 4 on DRHD0)
  s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
  expect(
    s.ok<number>({ type: 'pciAllocIrqVectors', dev: NIC, min: 1, max: 4, irqType: 'msi', affinity: true, fail: null }),
  ).toBe(4);
  const nic = Object.values(s.world.irqs)
    .filter((d) => d.managed)
    .map((d) => d.virq);
  for (const v of nic) s.ok({ type: 'requestIrq', virq: v, dev: NIC, devm: false });

  // DSA1: 2 MSI-X vectors through DRHD1
  s.ok({ type: 'driverProbe', dev: DSA1, managed: false, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: DSA1, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
  const dsa1 = Object.values(s.world.irqs)
    .filter((d) => !dsa0.includes(d.virq) && !nic.includes(d.virq))
    .map((d) => d.virq);
  s.ok({ type: 'requestIrq', virq: dsa1[0]!, dev: DSA1, devm: false });

  // CPU hotplug: CPU3 carries one managed NIC vector (shut down, then restarted) and whatever
  // non-managed vectors landed there (migrated); a move is left pending and completed by a fire
  s.ok({ type: 'irqSetAffinity', virq: dsa1[0]!, cpus: [3], fromUser: false });
  s.ok({ type: 'cpuOffline', cpu: 3 });
  s.ok({ type: 'cpuOffline', cpu: 1 });
  s.ok({ type: 'cpuOnline', cpu: 1 });
  s.ok({ type: 'cpuOnline', cpu: 3 });
  for (const v of [...dsa0.slice(0, 2), ...nic, dsa1[0]!]) s.ok({ type: 'deviceFireIrq', virq: v });

  // a direct user of the hierarchy (like the DMAR fault irq): fixed vectors on CPU1
  const core = s.ok<number>({
    type: 'irqDomainAllocIrqs',
    client: 'client0',
    domain: s.world.vectorDomain,
    n: 2,
    cpus: [1],
    fail: null,
  });
  s.fails({
    type: 'irqDomainAllocIrqs',
    client: 'client1',
    domain: s.world.vectorDomain,
    n: 2,
    cpus: null,
    fail: { site: 'vector', index: 1 },
  });
  s.ok({ type: 'requestIrq', virq: core, dev: null, devm: false });

  // platform-MSI: a PLATFORM_MSI domain on the vector domain, two MSIs for plat0
  s.ok({ type: 'driverProbe', dev: PLAT, managed: false, fail: false });
  const platDomain = s.ok<number>({ type: 'platformMsiCreateIrqDomain', parent: s.world.vectorDomain });
  s.ok({ type: 'devSetMsiDomain', dev: PLAT, domain: platDomain });
  s.fails({ type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 3, fail: { site: 'vector', index: 1 } });
  s.ok({ type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 2, fail: null });
  const plat = Object.values(s.world.irqs)
    .filter((d) => d.owner?.kind === 'msi' && s.world.descs[d.owner.desc]?.dev === PLAT)
    .map((d) => d.virq);
  expect(plat).toHaveLength(2);
  s.ok({ type: 'requestIrq', virq: plat[0]!, dev: PLAT, devm: false });
  // no IRQ_MOVE_PCNTXT without IR: the new affinity waits for the next interrupt, which moves
  // the vector (prev_vector kept); the interrupt after that on the new target cleans it up
  const platCpu = (s.world.irqs[plat[0]!]!.levels.at(-1)!.chip as VectorChipData).cfgCpu;
  s.ok({ type: 'irqSetAffinity', virq: plat[0]!, cpus: [(platCpu + 1) % 4], fromUser: true });
  s.ok({ type: 'deviceFireIrq', virq: plat[0]! });
  s.ok({ type: 'deviceFireIrq', virq: plat[0]! });

  if (v62) {
    // dynamic MSI-X: the ninth table entry of DSA0, allocated and freed by index
    const at = s.ok<{ index: number; virq: number }>({ type: 'pciMsixAllocIrqAt', dev: DSA0, index: 8, fail: null });
    s.ok({ type: 'requestIrq', virq: at.virq, dev: DSA0, devm: false });
    s.ok({ type: 'freeIrq', virq: at.virq });
    s.ok({ type: 'pciMsixFreeIrq', dev: DSA0, index: at.index, virq: at.virq });
    // IMS on DSA0: a secondary domain, two slots for two PASIDs, one failed allocation
    s.ok({ type: 'pciCreateImsDomain', dev: DSA0, hwsize: 16 });
    const a = s.ok<{ index: number; virq: number }>({ type: 'pciImsAllocIrq', dev: DSA0, icookie: 1, fail: null });
    s.fails({ type: 'pciImsAllocIrq', dev: DSA0, icookie: 2, fail: { site: 'irte', index: 0 } });
    const b = s.ok<{ index: number; virq: number }>({ type: 'pciImsAllocIrq', dev: DSA0, icookie: 2, fail: null });
    s.ok({ type: 'requestIrq', virq: a.virq, dev: DSA0, devm: false });
    s.ok({ type: 'deviceFireIrq', virq: a.virq });
    s.ok({ type: 'freeIrq', virq: a.virq });
    s.ok({ type: 'pciImsFreeIrq', dev: DSA0, index: a.index, virq: a.virq });
    s.ok({ type: 'pciImsFreeIrq', dev: DSA0, index: b.index, virq: b.virq });
    s.ok({ type: 'msiRemoveDeviceIrqDomain', dev: DSA0, domid: 1 });
  }

  // teardown, in the order a correct driver does it
  s.ok({ type: 'freeIrq', virq: plat[0]! });
  s.ok({ type: 'platformMsiDomainFreeIrqs', dev: PLAT });
  s.ok({ type: 'deviceReleaseDriver', dev: PLAT });
  s.ok({ type: 'devSetMsiDomain', dev: PLAT, domain: null });
  s.ok({ type: 'irqDomainRemove', domain: platDomain });
  s.ok({ type: 'freeIrq', virq: core });
  s.ok({ type: 'irqDomainFreeIrqs', client: 'client0', virq: core, n: 2 });
  for (const v of nic) s.ok({ type: 'freeIrq', virq: v });
  s.ok({ type: 'pciFreeIrqVectors', dev: NIC });
  s.ok({ type: 'deviceReleaseDriver', dev: NIC });
  s.ok({ type: 'freeIrq', virq: dsa1[0]! });
  s.ok({ type: 'pciFreeIrqVectors', dev: DSA1 });
  s.ok({ type: 'deviceReleaseDriver', dev: DSA1 });
  s.ok({ type: 'freeIrq', virq: dsa0[0]! });
  // DSA0 unbinds with its vectors and one devm handler still live: devres frees both (LIFO)
  s.ok({ type: 'deviceReleaseDriver', dev: DSA0 });
  s.ok({ type: 'deviceUnregister', dev: DSA1 });
  return s;
}
