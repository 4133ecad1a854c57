/*
 * test/fidelity/util.ts - small readers and op builders shared by the fidelity tests
 */
import { expect } from 'vitest';
import type {
  CpuId,
  DevId,
  DomainId,
  IrChipData,
  IrqDomain,
  MsiChipData,
  VectorChipData,
  Virq,
  World,
} from '../../models/world/types.ts';
import type { FailPoint } from '../../models/kernel/irq/hierarchy.ts';
import type { Op, OpOf } from '../../models/ops.ts';
import { smallConfig, type PlatformConfig } from '../../models/world/platform.ts';
import { step, type StepOutcome } from '../../models/step.ts';

/** the small platform with interrupt remapping switched off on every unit */
export const noIrConfig: PlatformConfig = {
  ...smallConfig,
  units: smallConfig.units.map((u) => ({ ...u, irEnabled: false })),
};

/* ---------------------------------------------------------------- op builders ---- */

export const msix = (
  dev: DevId,
  min: number,
  max = min,
  o: { affinity?: boolean; fail?: FailPoint } = {},
): OpOf<'pciAllocIrqVectors'> => ({
  type: 'pciAllocIrqVectors',
  dev,
  min,
  max,
  irqType: 'msix',
  affinity: o.affinity ?? false,
  fail: o.fail ?? null,
});
export const msi = (
  dev: DevId,
  min: number,
  max = min,
  o: { affinity?: boolean; fail?: FailPoint } = {},
): OpOf<'pciAllocIrqVectors'> => ({
  type: 'pciAllocIrqVectors',
  dev,
  min,
  max,
  irqType: 'msi',
  affinity: o.affinity ?? false,
  fail: o.fail ?? null,
});
export const freeVectors = (dev: DevId): Op => ({ type: 'pciFreeIrqVectors', dev });
export const req = (virq: Virq, dev: DevId | null = null, devm = false): Op => ({
  type: 'requestIrq',
  virq,
  dev,
  devm,
});
export const freeIrq = (virq: Virq): Op => ({ type: 'freeIrq', virq });
export const setAff = (virq: Virq, cpus: CpuId[], fromUser = false): Op => ({
  type: 'irqSetAffinity',
  virq,
  cpus,
  fromUser,
});
export const fire = (virq: Virq): Op => ({ type: 'deviceFireIrq', virq });
export const offline = (cpu: CpuId): Op => ({ type: 'cpuOffline', cpu });
export const online = (cpu: CpuId): Op => ({ type: 'cpuOnline', cpu });
/** irq_domain_alloc_irqs() by client0; @cpus = info->mask (fixed destination) or null */
export const coreAlloc = (
  domain: DomainId,
  n: number,
  cpus: CpuId[] | null = null,
  fail: FailPoint | null = null,
): Op => ({
  type: 'irqDomainAllocIrqs',
  client: 'client0',
  domain,
  n,
  cpus,
  fail,
});
export const coreFree = (virq: Virq, n: number): Op => ({ type: 'irqDomainFreeIrqs', client: 'client0', virq, n });
export const probe = (dev: DevId, managed = false): Op => ({ type: 'driverProbe', dev, managed, fail: false });
export const unbind = (dev: DevId): Op => ({ type: 'deviceReleaseDriver', dev });

/* ---------------------------------------------------------------- running ---- */

/** step and insist on 'ok'; returns the new world */
export function must(w: World, ...ops: Op[]): World {
  let out = w;
  for (const op of ops) {
    const o = step(out, op);
    if (o.kind !== 'ok') throw new Error(`${op.type} -> ${o.kind}: ${'why' in o ? o.why : ''}`);
    out = o.world;
  }
  return out;
}

/** step and return the outcome together with its value (for allocations) */
export const run = (w: World, op: Op): StepOutcome => step(w, op);

export function value<T>(o: StepOutcome): T {
  expect(o.kind).toBe('ok');
  return (o as { value: unknown }).value as T;
}

/* ---------------------------------------------------------------- readers ---- */

export const dom = (w: World, name: string): IrqDomain => {
  const d = Object.values(w.domains).find((x) => x.name === name);
  if (!d) throw new Error(`no domain ${name}`);
  return d;
};
export const hasDomain = (w: World, name: string): boolean => Object.values(w.domains).some((x) => x.name === name);

/** the virqs of @dev in domain slot @domid, in msi_index order */
export function devVirqs(w: World, dev: DevId, domid: 0 | 1 = 0): Virq[] {
  return Object.values(w.descs)
    .filter((d) => d.dev === dev && d.domid === domid && d.irq !== 0)
    .sort((a, b) => a.msiIndex - b.msiIndex)
    .flatMap((d) => Array.from({ length: d.nvecUsed }, (_, i) => d.irq + i));
}

export const vecChip = (w: World, virq: Virq): VectorChipData => {
  const l = w.irqs[virq]!.levels;
  return l[l.length - 1]!.chip as VectorChipData;
};
export const irChip = (w: World, virq: Virq): IrChipData =>
  w.irqs[virq]!.levels.find((l) => l.chip?.kind === 'ir')!.chip as IrChipData;
export const irLevel = (w: World, virq: Virq) => w.irqs[virq]!.levels.find((l) => l.chip?.kind === 'ir')!;
export const msiChip = (w: World, virq: Virq): MsiChipData => w.irqs[virq]!.levels[0]!.chip as MsiChipData;
export const chainNames = (w: World, virq: Virq): string[] =>
  w.irqs[virq]!.levels.map((l) => w.domains[l.domain]?.name ?? `<removed #${l.domain}>`);

/** every vector bit held in alloc_map, per CPU */
export const allocBits = (w: World): number[][] => w.matrix.maps.map((m) => [...m.allocMap]);
export const totalAllocBits = (w: World): number => w.matrix.maps.reduce((s, m) => s + m.allocMap.length, 0);

/** the parts of the world a failed allocation must leave untouched (I8) */
export const snapshot = (w: World): string =>
  JSON.stringify({ irqs: w.irqs, matrix: w.matrix, units: w.units, descs: w.descs });

/** fill every CPU's vector space with fixed-destination core allocations */
export function exhaustVectors(w: World): World {
  const perCpu = w.matrix.allocSize - w.matrix.systembitsInalloc;
  let out = w;
  for (let c = 0; c < w.config.cpus; c++) out = must(out, coreAlloc(w.vectorDomain, perCpu, [c]));
  return out;
}
