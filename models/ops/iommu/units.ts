/*
 * models/ops/iommu/units.ts - DMAR units as an admin sees them: a legal admin removes a unit only
 * once the devices and I/O APICs of its scope are gone
 */
import type { Device, DmarUnit, World } from '../../world/types.ts';
import { unitForDevice } from '../../world/world.ts';
import { liveDevices } from '../handles.ts';

/** the devices a unit translates interrupts for (its scope, or everything for include_all) */
export const coveredBy = (w: World, unit: number): Device[] =>
  liveDevices(w).filter((d) => d.present && d.bus === 'pci' && unitForDevice(w, d.id) === unit);

/** an Intel DMAR unit (not an AMD IOMMU or Hyper-V's IR) */
export const isDmar = (u: DmarUnit): boolean => (u.kind ?? 'intel') === 'intel';
/** a registered I/O APIC's domain sits on the unit's IR domain */
export const ioapicOn = (w: World, u: DmarUnit): boolean =>
  w.platform.ioapics.some((a) => a.present && a.domain !== null && w.domains[a.domain]?.parent === u.irDomain);
