/*
 * test/architecture/invariant-reads.test.ts - each state invariant's `reads` list against what its
 * check actually reads
 *
 * checkStep() (properties/index.ts) skips a state invariant when every World field its `reads`
 * lists is the same object before and after the step. A field the check reads but does not list
 * is a verdict gone stale: a step that changes only that field is never judged. So every state
 * invariant is run here on generated worlds (every platform, both kernels, quirks on and off, a
 * legal and an any caller, the built-in designs under their workload, each catalog fault on its
 * target), through a Proxy that records the top-level World fields it touches.
 *
 * An undeclared read fails: one generated world that shows it is proof. A declared field that no
 * generated world makes the check read is only reported (console.warn): it cannot make a verdict
 * wrong, only cost a redundant re-check, and its absence proves little, since the fields read
 * only to name things in a violation's message, or on rare paths (the 5.10 default PCI/MSI
 * domain of a device without msi_domain), go unread whenever the generated runs miss that path;
 * failing on it would break with every change to the generator. Dead entries found this way
 * were removed by hand after reading the check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../models/world/types.ts';
import { step } from '../../models/step.ts';
import { platformConfigs } from '../../models/world/platform.ts';
import { builtinDesigns } from '../../models/designs/index.ts';
import { faultById, faultIds } from '../../models/faults/catalog.ts';
import { stateInvariants, type StateInvariant } from '../../properties/index.ts';
import { generateSequences } from '../../src/run/campaign.ts';
import { runChoices } from '../../src/run/run.ts';
import { worldFor } from '../../src/run/check.ts';
import { workloadOpTypes } from '../../src/generate/workload.ts';
import type { Mode } from '../../src/generate/op-specs.ts';
import type { OpType } from '../../models/ops.ts';

/** a check that enumerates the world's own keys (a spread, Object.keys(w)) reads every field */
const EVERY_FIELD = '*';

/** the top-level World fields @inv's check touches on @w */
function readsOf(inv: Pick<StateInvariant, 'check'>, w: World): Set<string> {
  const seen = new Set<string>();
  const proxy = new Proxy(w, {
    get(t, k, r) {
      if (typeof k === 'string') seen.add(k);
      return Reflect.get(t, k, r);
    },
    has(t, k) {
      if (typeof k === 'string') seen.add(k);
      return Reflect.has(t, k);
    },
    ownKeys(t) {
      seen.add(EVERY_FIELD);
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor(t, k) {
      if (typeof k === 'string') seen.add(k);
      return Reflect.getOwnPropertyDescriptor(t, k);
    },
  });
  inv.check(proxy);
  return seen;
}

interface ReadsAudit {
  /** fields read and not declared, by invariant id */
  readonly undeclared: ReadonlyMap<string, readonly string[]>;
  /** fields declared and read in none of the worlds, by invariant id */
  readonly unread: ReadonlyMap<string, readonly string[]>;
  /** worlds each invariant found violated (how far the message paths were exercised) */
  readonly violated: ReadonlyMap<string, number>;
}

/** run every invariant of @invs on every world of @worlds and compare with the declared lists */
function auditReads(invs: readonly StateInvariant[], worlds: readonly World[]): ReadsAudit {
  const undeclared = new Map<string, string[]>();
  const unread = new Map<string, string[]>();
  const violated = new Map<string, number>();
  for (const inv of invs) {
    const read = new Set<string>();
    let n = 0;
    for (const w of worlds) {
      for (const k of readsOf(inv, w)) read.add(k);
      if (inv.check(w) !== null) n++;
    }
    const declared = new Set<string>(inv.reads);
    const extra = [...read].filter((k) => !declared.has(k)).sort();
    const dead = read.has(EVERY_FIELD) ? [] : inv.reads.filter((k) => !read.has(k));
    if (extra.length) undeclared.set(inv.id, extra);
    if (dead.length) unread.set(inv.id, dead);
    violated.set(inv.id, n);
  }
  return { undeclared, unread, violated };
}

const RUNS = 10;

/** every world a few generated runs pass through, from @w0 (the boot world included) */
function worldsFrom(w0: World, mode: Mode, types: readonly OpType[] | undefined, seed: number): World[] {
  const out = [w0];
  for (const seq of generateSequences({ runs: RUNS, minSteps: 10, maxSteps: 40, seed })) {
    const r = runChoices(w0, seq, { mode, check: false, ...(types ? { types } : {}) });
    let w = w0;
    for (const t of r.trace) {
      const o = step(w, t.op);
      // after BUG() or a use-after-free checkStep() judges no state any more
      if (o.kind === 'bug' || o.kind === 'use-after-free') break;
      w = o.world;
      out.push(w);
    }
  }
  return out;
}

/** the booted world, or null for a platform not modelled on that kernel (arm-its on 5.10) */
function bootable(boot: () => World): World | null {
  try {
    return boot();
  } catch (e) {
    if (String(e).includes('is modelled on kernel')) return null;
    throw e;
  }
}

function generatedWorlds(): World[] {
  const worlds: World[] = [];
  for (const config of Object.keys(platformConfigs)) {
    for (const kernel of ['5.10', '6.2'] as const) {
      for (const quirks of [true, false]) {
        const w0 = bootable(() => worldFor({ design: 'kernel', kernel, quirks, config }));
        if (w0) for (const mode of ['any', 'legal'] as const) worlds.push(...worldsFrom(w0, mode, undefined, 1));
      }
    }
  }
  for (const d of builtinDesigns()) {
    for (const config of ['small', 'spr', 'small-dmar-hp'])
      worlds.push(
        ...worldsFrom(
          worldFor({ design: d.name, kernel: d.kernel, quirks: true, config }),
          'legal',
          workloadOpTypes,
          2,
        ),
      );
  }
  for (const id of faultIds) {
    const t = faultById(id).target;
    worlds.push(
      ...worldsFrom(
        worldFor({ design: t.design, kernel: t.kernel, quirks: false, config: t.config, faults: [id] }),
        'legal',
        undefined,
        3,
      ),
    );
  }
  return worlds;
}

describe('invariant reads lists', () => {
  let worlds: World[] = [];
  let audit: ReadsAudit;
  beforeAll(() => {
    worlds = generatedWorlds();
    audit = auditReads(stateInvariants, worlds);
  });

  it('the generated worlds are many and break most invariants somewhere (message paths exercised)', () => {
    expect(worlds.length).toBeGreaterThan(10_000);
    const broken = [...audit.violated.values()].filter((n) => n > 0).length;
    expect(broken).toBeGreaterThanOrEqual(stateInvariants.length / 2);
  });

  it('no state invariant reads a World field its reads list leaves out', () => {
    expect(Object.fromEntries(audit.undeclared)).toEqual({});
  });

  it('a declared field no generated world reads is reported, not failed (see the header)', () => {
    const unread = Object.fromEntries(audit.unread);
    if (Object.keys(unread).length > 0)
      console.warn(
        `declared reads no generated world exercised (message-only or rare paths?): ${JSON.stringify(unread)}`,
      );
  });
});

describe('the reads checker', () => {
  const w = worldFor({ design: 'kernel', kernel: '6.2', quirks: false, config: 'small' });
  const synthetic = (reads: StateInvariant['reads'], check: StateInvariant['check']): StateInvariant => ({
    id: 'synthetic',
    category: 'leak',
    spec: '-',
    scope: 'state',
    statement: 'a test double',
    kernel: '-',
    reads,
    check,
  });

  it('catches a read the list leaves out, also through a helper and behind a condition', () => {
    const helper = (x: World) => Object.keys(x.devices).length;
    const inv = synthetic(['irqs'], (x) =>
      Object.keys(x.irqs).length >= 0 && helper(x) >= 0 && 'its' in x ? 'violated' : null,
    );
    const a = auditReads([inv], [w]);
    expect(a.undeclared.get('synthetic')).toEqual(['devices', 'its']);
  });

  it('catches a declared field the check never reads', () => {
    const inv = synthetic(['irqs', 'units'], (x) => (x.irqs[0] ? 'virq 0' : null));
    const a = auditReads([inv], [w]);
    expect(a.undeclared.has('synthetic')).toBe(false);
    expect(a.unread.get('synthetic')).toEqual(['units']);
  });

  it('a check that spreads or enumerates the world reads every field', () => {
    const inv = synthetic(['irqs'], (x) => (Object.keys({ ...x }).length > 0 ? null : 'empty'));
    expect(auditReads([inv], [w]).undeclared.get('synthetic')).toContain(EVERY_FIELD);
  });
});
