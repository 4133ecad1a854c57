/*
 * models/ops/handles.ts - what a caller can name in the current world (live handles) and what a
 * careless one could still name (stale handles); the operations' candidates are built from these
 * (moved from src/generate/handles.ts: they are pure functions of the world)
 */
import { irqValues } from '../world/world.ts';
import type { CoreAlloc, DevId, Device, DomainId, IrqDesc, MsiDesc, Virq, World } from '../world/types.ts';

/** memoised on the (immutable) record it is computed from: handles are asked for many times a step */
function memo<K extends object, V>(f: (k: K) => V): (k: K) => V {
  const cache = new WeakMap<K, V>();
  return (k) => {
    let v = cache.get(k);
    if (v === undefined) cache.set(k, (v = f(k)));
    return v;
  };
}

const devicesOf = memo((r: World['devices']) => Object.values(r));
const liveDevicesOf = memo((r: World['devices']) => devicesOf(r).filter((d) => !d.released));

export const devices = (w: World): Device[] => devicesOf(w.devices);
export const liveDevices = (w: World): Device[] => liveDevicesOf(w.devices);
const boundDevicesOf = memo((r: World['devices']) => liveDevicesOf(r).filter((d) => d.present && d.driver !== null));
export const boundDevices = (w: World): Device[] => boundDevicesOf(w.devices);
export const liveDomains = (w: World): DomainId[] => Object.keys(w.domains).map(Number);
export const allDomainIds = (w: World): DomainId[] => Array.from({ length: w.nextDomainId }, (_, i) => i);
export const liveIrqs = (w: World): IrqDesc[] => irqValues(w);

/** the device an irq belongs to (its msi_desc's device), if any */
export function irqDevice(w: World, d: IrqDesc): DevId | null {
  if (d.owner?.kind !== 'msi') return null;
  return w.descs[d.owner.desc]?.dev ?? null;
}

/** virqs a careless caller may still hold: live ones plus recently freed numbers */
export function anyVirqs(w: World): Virq[] {
  const s = new Set<number>(Object.keys(w.irqs).map(Number));
  for (const f of w.recentFrees) s.add(f.kind === 'core' ? f.base : f.virq);
  return [...s].sort((a, b) => a - b);
}

/** a device's descs in one 6.2 store that have an interrupt: its live msi_maps */
export function liveMaps(w: World, dev: DevId, domid: 0 | 1): MsiDesc[] {
  const store = w.devices[dev]?.msiData?.stores[domid] ?? {};
  return Object.values(store)
    .map((id) => w.descs[id]!)
    .filter((d) => d && d.irq !== 0);
}

/** every device's MSI interrupts, computed once per world */
const byDevice = new WeakMap<World['irqs'], { descs: World['descs']; map: Map<DevId, IrqDesc[]> }>();
function irqsByDevice(w: World): Map<DevId, IrqDesc[]> {
  const hit = byDevice.get(w.irqs);
  if (hit && hit.descs === w.descs) return hit.map;
  const map = new Map<DevId, IrqDesc[]>();
  for (const d of liveIrqs(w)) {
    const dev = irqDevice(w, d);
    if (dev === null) continue;
    const list = map.get(dev);
    if (list) list.push(d);
    else map.set(dev, [d]);
  }
  byDevice.set(w.irqs, { descs: w.descs, map });
  return map;
}

/** all virqs of a device's MSI interrupts */
export function deviceVirqs(w: World, dev: DevId): IrqDesc[] {
  return irqsByDevice(w).get(dev) ?? [];
}

export const coreAllocsOf = (w: World): CoreAlloc[] => Object.values(w.coreAllocs);

/** irqs with a handler that is not devres-managed */
export const hasPlainAction = (d: IrqDesc): boolean => d.action !== null && !d.action.devm;

/** users of a domain: children, device pointers, mapped levels (the kernel keeps no count) */
export function domainUsers(w: World, id: DomainId): number {
  let n = 0;
  for (const d of Object.values(w.domains)) if (d.parent === id) n++;
  for (const dev of liveDevices(w)) {
    if (dev.msiDomain === id) n++;
    if (dev.msiData?.domains.includes(id)) n++;
  }
  for (const v of liveIrqs(w)) if (v.levels.some((l) => l.domain === id)) n++;
  if (w.defaultPciMsiDomain === id || w.vectorDomain === id) n++;
  return n;
}
