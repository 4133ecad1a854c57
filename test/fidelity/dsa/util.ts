/*
 * test/fidelity/dsa/util.ts - op builders and readers for the DSA (idxd), vdcm mdev and DMAR
 * hotplug tests (also used by test/invariants/dsa-fixtures.ts)
 */
import type { DevId, MsiDesc, Virq, World } from '../../../models/world/types.ts';
import type { FailPoint } from '../../../models/kernel/irq/hierarchy.ts';
import type { MdevId, WqType } from '../../../models/drivers/dma/idxd/types.ts';
import type { Op } from '../../../models/ops.ts';
import { smallConfig, type PlatformConfig } from '../../../models/world/platform.ts';
import { must } from '../util.ts';

/* ---------------------------------------------------------------- op builders ---- */

export const idxdProbe = (pf: DevId, fail: FailPoint | null = null): Op => ({ type: 'idxdProbe', pf, fail });
export const wqConfig = (
  pf: DevId,
  wq: number,
  wqType: WqType,
  o: { mode?: 'dedicated' | 'shared'; size?: number; group?: number | null } = {},
): Op => ({
  type: 'idxdWqConfig',
  pf,
  wq,
  wqType,
  mode: o.mode ?? 'dedicated',
  size: o.size ?? 16,
  group: o.group === undefined ? 0 : o.group,
});
export const engineConfig = (pf: DevId, engine: number, group: number | null = 0): Op => ({
  type: 'idxdEngineConfig',
  pf,
  engine,
  group,
});
export const deviceEnable = (pf: DevId): Op => ({ type: 'idxdDeviceEnable', pf });
export const deviceDisable = (pf: DevId): Op => ({ type: 'idxdDeviceDisable', pf });
export const wqEnable = (pf: DevId, wq: number): Op => ({ type: 'idxdWqEnable', pf, wq });
export const wqDisable = (pf: DevId, wq: number): Op => ({ type: 'idxdWqDisable', pf, wq });
export const mdevCreate = (pf: DevId, wq: number): Op => ({ type: 'mdevCreate', pf, wq });
export const mdevOpen = (mdev: MdevId, fail: FailPoint | null = null): Op => ({ type: 'mdevOpen', mdev, fail });
export const mdevRelease = (mdev: MdevId): Op => ({ type: 'mdevRelease', mdev });
export const mdevRemove = (mdev: MdevId): Op => ({ type: 'mdevRemove', mdev });
export const imsFire = (pf: DevId, slot: number, pasid: number): Op => ({ type: 'dsaImsInterrupt', pf, slot, pasid });
export const dmarRemove = (unit: number): Op => ({ type: 'dmarHotRemove', unit });
export const dmarAdd = (unit: number): Op => ({ type: 'dmarHotAdd', unit });

/**
 * the WQ layout most tests use on a PF: wq0 kernel (dedicated), wq1 mdev (dedicated), wq2 mdev
 * (shared, group 1); engine 0 in group 0, engine 1 in group 1
 */
export const standardConfig = (pf: DevId): Op[] => [
  wqConfig(pf, 0, 'kernel'),
  wqConfig(pf, 1, 'mdev'),
  wqConfig(pf, 2, 'mdev', { mode: 'shared', group: 1 }),
  engineConfig(pf, 0, 0),
  engineConfig(pf, 1, 1),
];

/** probe @pf, configure it as standardConfig() does, enable the device and wq0..wq2 */
export const readyOps = (pf: DevId): Op[] => [
  idxdProbe(pf),
  ...standardConfig(pf),
  deviceEnable(pf),
  wqEnable(pf, 0),
  wqEnable(pf, 1),
  wqEnable(pf, 2),
];

export const ready = (w: World, pf: DevId): World => must(w, ...readyOps(pf));

/** the small platform with 64-entry IR tables, so that IMS slots (16) run out before IRTEs */
export const bigIrteConfig: PlatformConfig = {
  ...smallConfig,
  units: smallConfig.units.map((u) => ({ ...u, irteEntries: 64 })),
};

/* ---------------------------------------------------------------- readers ---- */

/** the msi_desc behind @virq */
export function descOfVirq(w: World, virq: Virq): MsiDesc {
  const o = w.irqs[virq]?.owner;
  if (o?.kind !== 'msi') throw new Error(`irq ${virq} has no msi_desc`);
  return w.descs[o.desc]!;
}

/** the IMS slots allocated in the PF's secondary (IMS) store */
export const imsStore = (w: World, pf: DevId): number[] =>
  Object.keys(w.devices[pf]!.msiData?.stores[1] ?? {}).map(Number);

/** virqs with an installed handler, ascending */
export const requested = (w: World): Virq[] =>
  Object.values(w.irqs)
    .filter((d) => d.action)
    .map((d) => d.virq);
