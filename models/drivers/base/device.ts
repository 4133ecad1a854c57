/*
 * models/drivers/base/device.ts - the device core: add/del, driver binding, devres
 * (drivers/base/core.c, drivers/base/dd.c, drivers/base/devres.c)
 *
 * Modelled: device_add() and the bus notifiers that pick a PCI device's MSI domain, a generic
 * test driver's probe (optionally pcim_enable_device()) and unbind, devres released last-in
 * first-out after remove() and on probe failure, device_del() + the last put.
 * Left out: child devices being removed with the parent (the kernel does not do that either),
 * PM, sysfs.
 */
import { match } from 'ts-pattern';
import type { DevId, DevresEntry, DomainId, World } from '../../world/types.ts';
import { err, okVoid, uaf, warned, type Outcome } from '../../world/outcome.ts';
import { freeIrq } from '../../kernel/irq/manage.ts';
import { pciFreeIrqVectors } from '../pci/msi.ts';
import { msiDeviceDataRelease } from '../../kernel/irq/msi.ts';
import { unitForDevice, updDevice } from '../../world/world.ts';
import { deviceDriverOf } from './driver.ts';

export const TEST_DRIVER = 'irqcheck-test';

/**
 * pciDefaultMsiDomain() - the MSI domain a PCI device gets when it is added
 * x86 pcibios_device_add(): the default (5.10 global PCI-MSI, 6.2 the vector domain as MSI
 * parent); then VT-d intel_irq_remap_add_device(): the unit's INTEL-IR-MSI (5.10) or IR domain
 * (6.2) when the device is in an IR-enabled unit's scope.
 */
function pciDefaultMsiDomain(w: World, dev: DevId): DomainId | null {
  // arm64: the ITS, as the MSI parent of the PCI device (iort/of msi-map -> its_msi_parent_ops)
  if (w.platform.its) return w.platform.its.domain;
  const unit = unitForDevice(w, dev);
  const u = unit === null ? null : w.units[unit]!;
  if (u?.irEnabled) {
    const ir = w.profile.version === '5.10' ? u.irMsiDomain : u.irDomain;
    if (ir !== null) return ir;
  }
  return w.profile.version === '5.10' ? w.defaultPciMsiDomain : w.vectorDomain;
}

/** device_add(): visible on its bus; PCI devices get their MSI domain from the notifiers */
export function deviceAdd(w: World, dev: DevId): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `device_add on released device #${dev}`);
  if (d.present) return err(w, 'EEXIST', `${d.name} already added`);
  const msiDomain = d.bus === 'pci' ? pciDefaultMsiDomain(w, dev) : d.msiDomain;
  return okVoid(updDevice(w, dev, (x) => ({ ...x, present: true, msiDomain })));
}

/** dev_set_msi_domain(): a plain pointer store, no checks, no reference */
export function devSetMsiDomain(w: World, dev: DevId, domain: DomainId | null): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `dev_set_msi_domain on released device #${dev}`);
  return okVoid(updDevice(w, dev, (x) => ({ ...x, msiDomain: domain })));
}

/** the release action of one devres entry */
function devresRelease(w: World, dev: DevId, e: DevresEntry): Outcome<void> {
  return match(e)
    .with({ kind: 'devm-irq' }, (x) => freeIrq(w, x.virq))
    .with({ kind: 'pcim-enable' }, () =>
      // 5.10 pcim_release(): disable MSI/MSI-X of a managed device (6.2 has pcim_msi_release)
      w.profile.version === '5.10' ? pciFreeIrqVectors(w, dev) : okVoid(w),
    )
    .with({ kind: 'pcim-msi' }, () => pciFreeIrqVectors(w, dev))
    .with({ kind: 'msi-device-data' }, () => msiDeviceDataRelease(w, dev))
    .exhaustive();
}

/**
 * devresReleaseAll() - release every devres entry, last added first
 * Kernel: drivers/base/devres.c devres_release_all()
 */
export function devresReleaseAll(w: World, dev: DevId): Outcome<void> {
  let out = w;
  const warnings: string[] = [];
  const entries = w.devices[dev]!.devres;
  for (let i = entries.length - 1; i >= 0; i--) {
    const r = devresRelease(out, dev, entries[i]!);
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    if (r.kind === 'warned' || r.kind === 'err') warnings.push(r.why);
    out = r.world;
    out = updDevice(out, dev, (x) => ({ ...x, devres: x.devres.slice(0, i) }));
  }
  return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
}

/**
 * driverProbe() - bind the generic test driver; @managed: it calls pcim_enable_device()
 * @fail: probe returns an error after enabling, so devres is released at once.
 * Kernel: drivers/base/dd.c really_probe()
 */
export function driverProbe(w: World, dev: DevId, managed: boolean, fail: boolean): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `probe of released device #${dev}`);
  if (!d.present) return err(w, 'ENODEV', `${d.name} is not added`);
  if (d.driver !== null) return err(w, 'EBUSY', `${d.name} already bound to ${d.driver}`);
  const out = updDevice(w, dev, (x) => ({
    ...x,
    driver: TEST_DRIVER,
    devres: managed && x.bus === 'pci' ? [...x.devres, { kind: 'pcim-enable' }] : x.devres,
  }));
  if (!fail) return okVoid(out);
  const r = devresReleaseAll(out, dev);
  if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
  return err(
    updDevice(r.world, dev, (x) => ({ ...x, driver: null })),
    'ENODEV',
    `probe of ${d.name} failed (injected)`,
  );
}

/**
 * deviceReleaseDriver() - unbind: drv->remove() (the test driver's does nothing), then devres
 * LIFO, then the driver pointer is cleared
 * Kernel: drivers/base/dd.c __device_release_driver(), device_unbind_cleanup()
 */
export function deviceReleaseDriver(w: World, dev: DevId): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `unbind of released device #${dev}`);
  if (d.driver === null) return okVoid(w);
  const removed = deviceDriverOf(d.driver).remove(w, dev);
  if (removed.kind === 'bug' || removed.kind === 'use-after-free') return removed;
  const r = devresReleaseAll(removed.world, dev);
  if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
  const out = updDevice(r.world, dev, (x) => ({ ...x, driver: null }));
  const warnings = [removed, r].flatMap((o) => (o.kind === 'warned' || o.kind === 'err' ? [o.why] : []));
  return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
}

/**
 * deviceUnregister() - device_del() (unbinds first) and the last put_device(): the struct
 * device is freed; pointers to it in domains and descs now dangle
 * Kernel: drivers/base/core.c device_del(), device_release()
 */
export function deviceUnregister(w: World, dev: DevId): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `device_unregister of released device #${dev}`);
  if (!d.present) return err(w, 'ENODEV', `${d.name} is not added`);
  const r = deviceReleaseDriver(w, dev);
  if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
  // device_release(): leftover devres goes too
  const left = devresReleaseAll(r.world, dev);
  if (left.kind === 'bug' || left.kind === 'use-after-free') return left;
  const out = updDevice(left.world, dev, (x) => ({ ...x, present: false, released: true }));
  return r.kind === 'warned' || left.kind === 'warned'
    ? warned(out, [r, left].flatMap((o) => (o.kind === 'warned' ? [o.why] : [])).join('; '))
    : okVoid(out);
}
