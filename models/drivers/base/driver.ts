/*
 * models/drivers/base/driver.ts - the drivers a device can be bound to, by name (struct device_driver)
 *
 * The driver core calls a bound driver only through its struct device_driver; here the device
 * holds the driver's name and the table maps it to the callbacks. Only .remove is called
 * through the table: each driver's probe is an operation of its own (idxd_pci_probe(),
 * vmd_probe(), ...). The composition root (models/machine/) registers every driver; unbinding a
 * device whose driver nobody registered is an error that names it.
 */
import type { DevId, World } from '../../world/types.ts';
import type { Outcome } from '../../world/outcome.ts';

/** struct device_driver: the callbacks the driver core calls */
export interface DeviceDriver {
  readonly name: string;
  /** drv->remove(): tear the driver's state down before devres is released */
  readonly remove: (w: World, dev: DevId) => Outcome<void>;
}

const drivers = new Map<string, DeviceDriver>();

/** driver_register() */
export function registerDeviceDriver(d: DeviceDriver): void {
  drivers.set(d.name, d);
}

/** the driver bound as @name */
export function deviceDriverOf(name: string): DeviceDriver {
  const d = drivers.get(name);
  if (d === undefined)
    throw new Error(`no struct device_driver registered as '${name}' (models/machine registers them: is it imported?)`);
  return d;
}
