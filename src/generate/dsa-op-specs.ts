/*
 * src/generate/dsa-op-specs.ts - guards and arguments of the idxd, mdev and DMAR operations
 *
 * legal: an admin and a guest using sysfs, mdev and vfio as documented (configure while
 * disabled, enable configured WQs, create mdevs on enabled mdev WQs, remove a DMAR unit only
 * once the devices it covers are gone); hardware events (a DSA completing a descriptor) are
 * always possible.
 */
import type { OpType } from '../../models/ops.ts';
import type { Device, DmarUnit, World } from '../../models/world/types.ts';
import type { DsaPf, Mdev } from '../../models/drivers/dma/idxd/types.ts';
import type { OpSpec } from './op-spec.ts';
import { maybeFail } from './choices.ts';
import { liveDevices } from './handles.ts';
import { unitForDevice } from '../../models/world/world.ts';
import { IDXD_DRIVER } from '../../models/drivers/dma/idxd/idxd.ts';
import { KERNEL_DESIGN } from '../../models/designs/index.ts';

const pfs = (w: World): DsaPf[] => Object.values(w.dsa);
const probed = (w: World): DsaPf[] => pfs(w).filter((p) => p.driver.probed && w.devices[p.dev]?.driver === IDXD_DRIVER);
const mdevs = (w: World): Mdev[] => Object.values(w.mdevs);
const wqTypes = ['mdev', 'kernel', 'user', 'mdev'] as const;

/** the devices a unit translates interrupts for (its scope, or everything for include_all) */
const coveredBy = (w: World, unit: number): Device[] => liveDevices(w).filter((d) => d.present && d.bus === 'pci' && unitForDevice(w, d.id) === unit);

/** an Intel DMAR unit (not an AMD IOMMU or Hyper-V's IR) */
const isDmar = (u: DmarUnit): boolean => (u.kind ?? 'intel') === 'intel';
/** a registered I/O APIC's domain sits on the unit's IR domain */
const ioapicOn = (w: World, u: DmarUnit): boolean => (w.ioapics ?? []).some((a) => a.present && a.domain !== null && w.domains[a.domain]?.parent === u.irDomain);

type DsaOps = 'idxdProbe' | 'idxdWqConfig' | 'idxdEngineConfig' | 'idxdDeviceEnable' | 'idxdDeviceDisable' | 'idxdWqEnable' | 'idxdWqDisable' | 'mdevCreate' | 'mdevOpen' | 'mdevRelease' | 'mdevRemove' | 'dsaImsInterrupt' | 'dmarHotRemove' | 'dmarHotAdd';

export const dsaOpSpecs: { readonly [K in DsaOps & OpType]: OpSpec<K> } = {
  idxdProbe: {
    candidates: (w) => pfs(w).filter((p) => w.devices[p.dev]?.present && !w.devices[p.dev]!.released && w.devices[p.dev]!.driver === null),
    build: (_w, _m, c, p: DsaPf) => ({ type: 'idxdProbe', pf: p.dev, fail: maybeFail(c) }),
  },
  idxdWqConfig: {
    candidates: (w, mode) => (mode === 'legal' ? probed(w).filter((p) => !p.enabled) : probed(w)),
    build: (_w, _m, c, p: DsaPf) => ({
      type: 'idxdWqConfig',
      pf: p.dev,
      wq: c.int(0, Math.min(p.caps.numWqs, 4) - 1),
      wqType: c.pick(wqTypes),
      mode: c.oneIn(3) ? 'shared' : 'dedicated',
      size: c.pick([8, 16, 32]),
      group: c.oneIn(6) ? null : c.int(0, p.caps.numGroups - 1),
    }),
  },
  idxdEngineConfig: {
    candidates: (w, mode) => (mode === 'legal' ? probed(w).filter((p) => !p.enabled) : probed(w)),
    build: (_w, _m, c, p: DsaPf) => ({ type: 'idxdEngineConfig', pf: p.dev, engine: c.int(0, p.caps.numEngines - 1), group: c.int(0, p.caps.numGroups - 1) }),
  },
  idxdDeviceEnable: {
    candidates: (w) => probed(w).filter((p) => !p.enabled),
    build: (_w, _m, _c, p: DsaPf) => ({ type: 'idxdDeviceEnable', pf: p.dev }),
  },
  idxdDeviceDisable: {
    candidates: (w, mode) => probed(w).filter((p) => p.enabled && (mode === 'any' || !p.wqs.some((q) => q.enabled))),
    build: (_w, _m, _c, p: DsaPf) => ({ type: 'idxdDeviceDisable', pf: p.dev }),
  },
  idxdWqEnable: {
    candidates: (w, mode) =>
      probed(w).flatMap((p) => p.wqs.filter((q) => !q.enabled && (mode === 'any' || (p.enabled && q.group !== null && q.size > 0 && q.type !== 'none'))).map((q) => ({ pf: p.dev, wq: q.id }))),
    build: (_w, _m, _c, x: { pf: number; wq: number }) => ({ type: 'idxdWqEnable', ...x }),
  },
  idxdWqDisable: {
    candidates: (w, mode) => probed(w).flatMap((p) => p.wqs.filter((q) => q.enabled && (mode === 'any' || q.mdevRefs === 0)).map((q) => ({ pf: p.dev, wq: q.id }))),
    build: (_w, _m, _c, x: { pf: number; wq: number }) => ({ type: 'idxdWqDisable', ...x }),
  },
  mdevCreate: {
    candidates: (w, mode) =>
      probed(w).flatMap((p) =>
        p.wqs
          .filter((q) => mode === 'any' || (p.driver.mdevParent && q.enabled && q.type === 'mdev' && (q.mode === 'shared' || q.mdevRefs === 0)))
          .map((q) => ({ pf: p.dev, wq: q.id })),
      ),
    build: (_w, _m, _c, x: { pf: number; wq: number }) => ({ type: 'mdevCreate', ...x }),
  },
  mdevOpen: {
    candidates: (w, mode) => mdevs(w).filter((m) => mode === 'any' || !m.open),
    build: (_w, _m, c, m: Mdev) => ({ type: 'mdevOpen', mdev: m.id, fail: maybeFail(c) }),
  },
  mdevRelease: {
    candidates: (w, mode) => mdevs(w).filter((m) => mode === 'any' || m.open),
    build: (_w, _m, _c, m: Mdev) => ({ type: 'mdevRelease', mdev: m.id }),
  },
  mdevRemove: {
    candidates: (w) => mdevs(w),
    build: (_w, _m, _c, m: Mdev) => ({ type: 'mdevRemove', mdev: m.id }),
  },
  dsaImsInterrupt: {
    // a descriptor of some PASID completing through a slot that holds a message
    candidates: (w) => pfs(w).flatMap((p) => p.ims.flatMap((e, slot) => (e.msg !== null || e.pasidEn ? [{ pf: p.dev, slot, pasid: e.pasid }] : []))),
    build: (w, _m, c, x: { pf: number; slot: number; pasid: number }) => {
      const others = mdevs(w).map((m) => m.pasid);
      return { type: 'dsaImsInterrupt', pf: x.pf, slot: x.slot, pasid: c.oneIn(3) && others.length ? c.pick(others) : x.pasid };
    },
  },
  dmarHotRemove: {
    // a DMAR (VT-d) unit; a legal admin removes it only after the devices and I/O APICs of its scope
    candidates: (w, mode) => w.units.filter((u) => isDmar(u) && u.present && (mode === 'any' || (coveredBy(w, u.id).length === 0 && !ioapicOn(w, u)))).map((u) => u.id),
    build: (_w, _m, _c, unit: number) => ({ type: 'dmarHotRemove', unit }),
  },
  dmarHotAdd: {
    candidates: (w) => w.units.filter((u) => isDmar(u) && !u.present).map((u) => u.id),
    // a kernel caller's hot add may fail in intel_setup_irq_remapping() (dmar_enable_qi());
    // a design's driver-level workload adds units that come up (its choices stay as they were)
    build: (w, _m, c, unit: number) => (w.design === KERNEL_DESIGN && c.oneIn(4) ? { type: 'dmarHotAdd', unit, fail: true } : { type: 'dmarHotAdd', unit }),
  },
};
