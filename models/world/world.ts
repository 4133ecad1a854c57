/*
 * models/world/world.ts - reading and replacing parts of the world (no kernel rules here)
 */
import type {
  ChipData,
  CpuId,
  Device,
  DevId,
  DmarUnit,
  IrqData,
  IrqDesc,
  IrqDomain,
  MsiDesc,
  PlatformState,
  UnitId,
  Virq,
  World,
  DomainId,
  DescId,
} from './types.ts';
import { arrSet, recDel, recPut } from './util.ts';

export const domainOf = (w: World, id: DomainId): IrqDomain | undefined => w.domains[id];
export const irqOf = (w: World, virq: Virq): IrqDesc | undefined => w.irqs[virq];
export const deviceOf = (w: World, id: DevId): Device | undefined => w.devices[id];
export const descOf = (w: World, id: DescId): MsiDesc | undefined => w.descs[id];
export const unitOf = (w: World, id: UnitId): DmarUnit => w.units[id]!;

export const putDomain = (w: World, d: IrqDomain): World => ({ ...w, domains: recPut(w.domains, d.id, d) });
export const dropDomain = (w: World, id: DomainId): World => ({ ...w, domains: recDel(w.domains, id) });
export const putIrq = (w: World, d: IrqDesc): World => ({ ...w, irqs: recPut(w.irqs, d.virq, d) });
export const dropIrq = (w: World, virq: Virq): World => ({ ...w, irqs: recDel(w.irqs, virq) });
export const putDevice = (w: World, d: Device): World => ({ ...w, devices: recPut(w.devices, d.id, d) });
export const putDesc = (w: World, d: MsiDesc): World => ({ ...w, descs: recPut(w.descs, d.id, d) });
export const dropDesc = (w: World, id: DescId): World => ({ ...w, descs: recDel(w.descs, id) });
export const putUnit = (w: World, u: DmarUnit): World => ({ ...w, units: arrSet(w.units, u.id, u) });

/** replace part of the per-platform driver state */
export const putPlatform = (w: World, part: Partial<PlatformState>): World => ({
  ...w,
  platform: { ...w.platform, ...part },
});

export const updIrq = (w: World, virq: Virq, f: (d: IrqDesc) => IrqDesc): World => putIrq(w, f(w.irqs[virq]!));
export const updDevice = (w: World, id: DevId, f: (d: Device) => Device): World => putDevice(w, f(w.devices[id]!));

/** the irq_data of @virq at chain position @lvl */
export const levelOf = (w: World, virq: Virq, lvl: number): IrqData => w.irqs[virq]!.levels[lvl]!;

export function putLevel(w: World, virq: Virq, lvl: number, data: IrqData): World {
  const d = w.irqs[virq]!;
  return putIrq(w, { ...d, levels: arrSet(d.levels, lvl, data) });
}

export function updChip<C extends ChipData>(w: World, virq: Virq, lvl: number, f: (c: C) => C): World {
  const l = levelOf(w, virq, lvl);
  return putLevel(w, virq, lvl, { ...l, chip: f(l.chip as C) });
}

/** irq_domain_get_irq_data(): the level of @virq that lives in @domain, or -1 */
export function levelIndex(w: World, virq: Virq, domain: DomainId): number {
  const d = w.irqs[virq];
  if (!d) return -1;
  return d.levels.findIndex((l) => l.domain === domain);
}

export const onlineCpus = (w: World): CpuId[] => w.cpuOnline.flatMap((on, c) => (on ? [c] : []));
export const allCpus = (w: World): CpuId[] => w.cpuOnline.map((_, c) => c);

/** parentChain() - domains from @top up to the root (kernel: the irq_data->parent_data walk) */
export function parentChain(w: World, top: DomainId): { chain: DomainId[]; dangling: DomainId | null } {
  const chain: DomainId[] = [];
  for (let d: DomainId | null = top; d !== null; ) {
    const dom: IrqDomain | undefined = w.domains[d];
    if (!dom) return { chain, dangling: d };
    chain.push(d);
    d = dom.parent;
  }
  return { chain, dangling: null };
}

/** a domain's name; a removed one is shown as such */
export const domainName = (w: World, id: DomainId | null): string =>
  id === null ? 'NULL' : (w.domains[id]?.name ?? `${w.domainNames[id] ?? `#${id}`} (removed)`);

export const deviceName = (w: World, id: DevId): string => w.devices[id]?.name ?? `<freed device #${id}>`;

/** the device scope lookup: dmar_find_matched_drhd_unit() */
export function unitForDevice(w: World, dev: DevId): UnitId | null {
  const d = w.devices[dev];
  if (d?.bus !== 'pci') return null;
  const scoped = w.units.find((u) => u.present && u.scope.includes(dev));
  if (scoped) return scoped.id;
  const all = w.units.find((u) => u.present && u.includeAll);
  return all ? all.id : null;
}

/** Object.values(w.irqs), computed once per irqs record (invariants and generators ask often) */
const irqValuesCache = new WeakMap<World['irqs'], IrqDesc[]>();
export function irqValues(w: World): IrqDesc[] {
  let v = irqValuesCache.get(w.irqs);
  if (!v) irqValuesCache.set(w.irqs, (v = Object.values(w.irqs)));
  return v;
}

/** a struct device before device_add(): no driver, no MSI state */
export function newDevice(
  f: Pick<
    Device,
    'id' | 'name' | 'bus' | 'parent' | 'rid' | 'msixTableSize' | 'msiVectors' | 'msiMaskable' | 'segment'
  >,
): Device {
  return {
    ...f,
    present: false,
    released: false,
    driver: null,
    msiDomain: null,
    msiEnabled: null,
    msiList: [],
    platformDevid: null,
    msiData: null,
    devres: [],
  };
}
