/*
 * models/ops/guards.ts - the generic caller's guards that several operations share
 *
 * A legal generic caller drives only devices bound to the test driver and unbinds one only when
 * nothing the driver took outside devres is left.
 */
import type { CoreClient, CpuId, Device, World } from '../world/types.ts';
import { TEST_DRIVER } from '../drivers/base/device.ts';
import { boundDevices, deviceVirqs, hasPlainAction } from './handles.ts';

/** the direct irq_domain_alloc_irqs() callers */
export const clients: readonly CoreClient[] = ['client0', 'client1'];
/** hwsize of the IMS domains the generic caller creates */
export const IMS_TEST_HWSIZE = 16;

export const cpuList = (w: World): CpuId[] => w.cpuOnline.map((_, i) => i);
export const pci = (d: Device) => d.bus === 'pci';
export const v62 = (w: World) => w.profile.version !== '5.10';

/** the legal-caller guard of unbind: nothing the driver took outside devres is left */
export function canUnbindCleanly(w: World, d: Device): boolean {
  const managed = d.devres.some((e) => e.kind === 'pcim-enable');
  if (d.msiEnabled !== null && !managed) return false;
  if (deviceVirqs(w, d.id).some(hasPlainAction)) return false;
  if (Object.keys(d.msiData?.stores[1] ?? {}).length > 0) return false;
  if (d.msiList.some((id) => !w.descs[id]?.isMsix && w.descs[id] && d.bus === 'platform')) return false;
  if (d.platformDevid !== null || (d.msiData?.platformDevid ?? null) !== null) return false;
  return true;
}

/** devices bound to the generic test driver: the only ones a legal generic caller drives */
const testBoundCache = new WeakMap<World['devices'], Device[]>();
export const testBound = (w: World): Device[] => {
  let v = testBoundCache.get(w.devices);
  if (!v) testBoundCache.set(w.devices, (v = boundDevices(w).filter((d) => d.driver === TEST_DRIVER)));
  return v;
};
