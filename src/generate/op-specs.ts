/*
 * src/generate/op-specs.ts - one generated step: which operations are enabled now, which one is
 * picked (by weight), which handle it is applied to
 *
 * Each operation's guard, candidates and argument drawing live in its own definition
 * (models/ops/<area>/<op>.ts, listed in models/ops.ts); this file only chooses among them.
 * legal: only calls whose documented preconditions hold (the kernel must stay consistent).
 * any:   misuse allowed - removed domains, freed virqs, unbinding with interrupts live, ...
 */
import { opDef, opDefs, opTypes, type AnyOpDef, type Candidate, type Op, type OpType } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import { candidateKeys, names, type Mode } from '../../models/ops/op.ts';
import { Choices } from './choices.ts';
import { KERNEL_DESIGN } from '../../models/designs/index.ts';

export type { Mode } from '../../models/ops/op.ts';

/** every operation's definition by type (its candidates, build, prefer: see models/ops/op.ts) */
export const opSpecs = opDefs;

/**
 * How often an enabled operation is picked, relative to 10. Teardown that ends a device's or a
 * unit's story (unregister, DMAR hot-remove, domain removal) is rare for every caller.
 */
const teardownWeights: Partial<Readonly<Record<OpType, number>>> = {
  deviceUnregister: 1,
  dmarHotRemove: 1,
  dmarHotAdd: 4,
  irqDomainRemove: 2,
  deviceReleaseDriver: 3,
  platformMsiCreateIrqDomain: 3,
  devSetMsiDomain: 4,
  // drivers map their interrupt line as they probe: as common as a probe
  irqCreateLineMapping: 25,
};

/** the generic caller of the kernel model: every other call as likely as any other */
export const callerWeights: Partial<Readonly<Record<OpType, number>>> = teardownWeights;

/**
 * A driver-level workload (a design installed, or a mix focused on the DSA stack): the long set-ups in front of the interesting
 * states (a configured DSA with open mdevs) are favoured, so that they get built.
 */
export const driverWeights: Partial<Readonly<Record<OpType, number>>> = {
  ...teardownWeights,
  idxdProbe: 20,
  idxdWqConfig: 25,
  idxdEngineConfig: 20,
  idxdDeviceEnable: 20,
  idxdWqEnable: 25,
  mdevCreate: 30,
  mdevOpen: 30,
  dsaImsInterrupt: 15,
};

/** driver-level weights for a design's workload and for a mix the user focused; the generic caller's otherwise */
const weightsFor = (w: World, universe: readonly OpType[]): Partial<Readonly<Record<OpType, number>>> =>
  w.design === KERNEL_DESIGN && universe === opTypes ? callerWeights : driverWeights;

/** one step: pick among the enabled operations (by weight), then its arguments */
export function chooseOp(
  w: World,
  mode: Mode,
  choices: readonly number[],
  types: readonly OpType[],
  universe: readonly OpType[] = opTypes,
  recent: ReadonlySet<string> = noRecent,
): Op {
  const c = new Choices(choices);
  // a careless caller is mostly careful: one step in four may misuse, the others follow the
  // rules, so runs still reach deep states (a configured DSA with open mdevs) before the misuse
  let stepMode: Mode = mode === 'any' && c.nat() % 4 !== 0 ? 'legal' : mode;
  const weights = weightsFor(w, universe);
  let { enabled, total } = enabledOps(w, stepMode, types, weights);
  if (enabled.length === 0 && stepMode !== mode)
    ({ enabled, total } = enabledOps(w, (stepMode = mode), types, weights));
  // a swarm subset can leave nothing enabled: then every type of the campaign is allowed (CPU
  // hotplug always is)
  if (enabled.length === 0) ({ enabled, total } = enabledOps(w, stepMode, universe, weights));
  // choice 0 picks the first enabled operation, so shrinking towards 0 stays meaningful
  let r = c.nat() % total;
  let e = enabled[0]!;
  for (const x of enabled) {
    r -= weights[x.def.type] ?? 10;
    if (r < 0) {
      e = x;
      break;
    }
  }
  return e.def.build(w, stepMode, c, pickCandidate(w, e.def, e.cands, c, recent));
}

const noRecent: ReadonlySet<string> = new Set();

/**
 * handleKeys() - the irqs and CPUs an operation names or returned, as 'virq:n' / 'cpu:n' keys;
 * the generator prefers them for the next steps. Only irq-level handles: preferring recent
 * devices and mdevs was measured to starve the device-level stories (a PF removed under an open
 * mdev) of the other handles they need.
 */
export function handleKeys(o: Readonly<Record<string, unknown>>, value?: unknown): string[] {
  const keys: string[] = [];
  for (const k of ['virq', 'cpu']) if (typeof o[k] === 'number') keys.push(`${k}:${o[k]}`);
  if (Array.isArray(o.cpus)) for (const cpu of o.cpus) keys.push(`cpu:${cpu}`);
  if (typeof value === 'number' && o.type === 'irqDomainAllocIrqs') keys.push(`virq:${value}`);
  return keys;
}

/**
 * pickCandidate() - the handle an operation is applied to. Half the time (when there is a
 * choice) it is one the last steps touched or one its spec prefers: state-aware generation
 * keeps working on the same irq, device or CPU, so that multi-step stories (allocate, request,
 * move, fire, offline) happen far more often than in independent uniform picks.
 */
function pickCandidate(
  w: World,
  def: AnyOpDef,
  cands: readonly Candidate[],
  c: Choices,
  recent: ReadonlySet<string>,
): Candidate {
  if (cands.length < 2 || (!def.prefer && recent.size === 0)) return c.pick(cands);
  const preferred = cands.filter((x) => def.prefer?.(w, x) || candidateKeys(def, x).some((k) => recent.has(k)));
  if (preferred.length === 0 || preferred.length === cands.length) return c.pick(cands);
  return c.oneIn(2) ? c.pick(preferred) : c.pick(cands);
}

function enabledOps(
  w: World,
  mode: Mode,
  types: readonly OpType[],
  weights: Partial<Readonly<Record<OpType, number>>>,
): { enabled: { def: AnyOpDef; cands: readonly Candidate[] }[]; total: number } {
  const enabled: { def: AnyOpDef; cands: readonly Candidate[] }[] = [];
  let total = 0;
  for (const type of types) {
    const def = opDef(type);
    const cands = def.candidates(w, mode);
    if (cands.length > 0) {
      enabled.push({ def, cands });
      total += weights[type] ?? 10;
    }
  }
  return { enabled, total };
}

/**
 * isLegalOp() - would a legal caller make this call here? It must name one of the legal
 * candidates of its operation now (its device, virq, domain, mdev, unit, CPU, msi_map: see each
 * operation's handle()). Used when shrinking a legal-caller counterexample, so that the shrunk
 * trace stays legal.
 */
export function isLegalOp(w: World, op: Op): boolean {
  const def = opDef(op.type);
  return def.candidates(w, 'legal').some((c) => names(def, op, c));
}
