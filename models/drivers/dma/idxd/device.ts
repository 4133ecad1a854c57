/*
 * models/drivers/dma/idxd/device.ts - the DSA PF as hardware: reset state, configuration, enable/disable
 * (drivers/dma/idxd/device.c, registers.h; DSA spec 1.0)
 *
 * Configuration (WQs, engines, groups) is written through sysfs while the device is disabled;
 * idxd_device_config() checks it when the device is enabled.
 */
import type { DevId, World } from '../../../world/types.ts';
import type { DsaConfig } from '../../../world/platform.ts';
import { err, okVoid, type Outcome } from '../../../world/outcome.ts';
import type { DsaPf, Wq, WqType } from './types.ts';
import { emptyIms, zeroPerm } from './types.ts';
import { arrSet } from '../../../world/util.ts';
import { pfOf, putPf, putWq } from './pf.ts';
import { idxdWqDisable } from './idxd.ts';

/** the PF after reset: no WQ configured, tables zero */
export function dsaPfAtReset(dev: DevId, c: DsaConfig, msixTableSize: number): DsaPf {
  return {
    dev,
    caps: { ...c },
    enabled: false,
    wqs: Array.from(
      { length: c.numWqs },
      (_, id): Wq => ({
        id,
        size: 0,
        mode: 'dedicated',
        type: 'none',
        group: null,
        enabled: false,
        irqRequested: false,
        mdevRefs: 0,
      }),
    ),
    engineGroups: Array.from({ length: c.numEngines }, () => null),
    msixPerm: Array.from({ length: msixTableSize }, () => zeroPerm),
    intHandles: Array.from({ length: msixTableSize }, () => null),
    ims: Array.from({ length: c.imsSize }, () => emptyIms),
    systemPasid: 1,
    driver: { probed: false, vectors: [], mdevParent: false, imsBitmap: [] },
  };
}

export { pfOf, putPf, putWq };

export interface WqConfig {
  readonly type: WqType;
  readonly mode: 'dedicated' | 'shared';
  readonly size: number;
  readonly group: number | null;
}

/**
 * idxdWqConfig() - write a WQ's configuration (sysfs wq attributes)
 * Only while the device and the WQ are disabled (-EPERM); a shared WQ needs PASID support.
 * Kernel: drivers/dma/idxd/sysfs.c wq_*_store()
 */
export function idxdWqConfig(w: World, dev: DevId, wq: number, cfg: WqConfig): Outcome<void> {
  const pf = pfOf(w, dev);
  if (!pf?.driver.probed) return err(w, 'ENODEV', `no idxd device on ${w.devices[dev]?.name ?? dev}`);
  const q = pf.wqs[wq];
  if (!q) return err(w, 'EINVAL', `wq${wq} does not exist`);
  if (pf.enabled || q.enabled) return err(w, 'EPERM', `wq${wq}: configuration needs the device disabled`);
  if (cfg.group !== null && (cfg.group < 0 || cfg.group >= pf.caps.numGroups))
    return err(w, 'EINVAL', `group ${cfg.group} does not exist`);
  if (cfg.size > pf.caps.totalWqSize) return err(w, 'EINVAL', `wq size ${cfg.size} above ${pf.caps.totalWqSize}`);
  // <=5.18 wq_mode_store() refuses a shared WQ without PASID support; later kernels accept it
  // here and idxd_wqs_setup() refuses it at enable ("Separate user and kernel pasid enabling")
  if (w.profile.version === '5.10' && cfg.mode === 'shared' && !(pf.caps.sharedWq && pf.caps.pasid))
    return err(w, 'EINVAL', 'shared WQ needs PASID support');
  return okVoid(putWq(w, pf, { ...q, ...cfg }));
}

/** idxdEngineConfig() - put an engine in a group (sysfs engine group_id), device disabled */
export function idxdEngineConfig(w: World, dev: DevId, engine: number, group: number | null): Outcome<void> {
  const pf = pfOf(w, dev);
  if (!pf?.driver.probed) return err(w, 'ENODEV', `no idxd device on ${w.devices[dev]?.name ?? dev}`);
  if (engine < 0 || engine >= pf.caps.numEngines) return err(w, 'EINVAL', `engine ${engine} does not exist`);
  if (pf.enabled) return err(w, 'EPERM', 'engine configuration needs the device disabled');
  if (group !== null && (group < 0 || group >= pf.caps.numGroups))
    return err(w, 'EINVAL', `group ${group} does not exist`);
  return okVoid(putPf(w, { ...pf, engineGroups: arrSet(pf.engineGroups, engine, group) }));
}

/**
 * idxdDeviceEnable() - write the configuration and enable the device
 * idxd_device_config() wants at least one configured WQ (in a group, size > 0), at least one
 * engine in a group, and the WQ sizes within the total (-EINVAL otherwise).
 * Kernel: drivers/dma/idxd/device.c idxd_device_config(), idxd_wqs_setup(), idxd_engines_setup()
 */
export function idxdDeviceEnable(w: World, dev: DevId): Outcome<void> {
  const pf = pfOf(w, dev);
  if (!pf?.driver.probed) return err(w, 'ENODEV', `no idxd device on ${w.devices[dev]?.name ?? dev}`);
  if (pf.enabled) return err(w, 'EBUSY', 'device already enabled');
  const configured = pf.wqs.filter((q) => q.group !== null && q.size > 0);
  if (configured.length === 0) return err(w, 'EINVAL', 'idxd_wqs_setup: no WQ configured');
  if (!pf.engineGroups.some((g) => g !== null)) return err(w, 'EINVAL', 'idxd_engines_setup: no engine in a group');
  if (configured.some((q) => q.mode === 'shared') && !(pf.caps.sharedWq && pf.caps.pasid))
    return err(w, 'EINVAL', 'idxd_wqs_setup: shared WQ without PASID support');
  const total = configured.reduce((a, q) => a + q.size, 0);
  if (total > pf.caps.totalWqSize) return err(w, 'EINVAL', `WQ sizes ${total} exceed ${pf.caps.totalWqSize}`);
  return okVoid(putPf(w, { ...pf, enabled: true }));
}

/**
 * idxdDeviceDisable() - the device stops; its enabled WQs are released first ("Active wq %d on
 * disable"), kernel WQs giving back their vectors. A WQ still backing mdevs is -EBUSY here (the
 * model does not tear mdevs down behind the vdcm).
 * Kernel: drivers/dma/idxd/device.c idxd_device_drv_remove(), idxd_device_disable()
 */
export function idxdDeviceDisable(w: World, dev: DevId): Outcome<void> {
  const pf = pfOf(w, dev);
  if (!pf?.driver.probed) return err(w, 'ENODEV', `no idxd device on ${w.devices[dev]?.name ?? dev}`);
  if (!pf.enabled) return okVoid(w);
  if (pf.wqs.some((q) => q.enabled && q.mdevRefs > 0)) return err(w, 'EBUSY', 'a WQ still backs mdevs');
  let out = w;
  for (const q of pf.wqs) {
    if (!q.enabled) continue;
    const r = idxdWqDisable(out, dev, q.id);
    if (r.kind !== 'ok') return r;
    out = r.world;
  }
  return okVoid(putPf(out, { ...out.dsa[dev]!, enabled: false }));
}
