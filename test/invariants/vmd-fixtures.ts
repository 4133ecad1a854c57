/*
 * test/invariants/vmd-fixtures.ts - the `vmd` platform in tests (models/drivers/pci/controller/vmd.ts)
 *
 * dev 0 the VMD controller (3 MSI-X vectors), dev 1 a NIC behind DRHD0; after vmd_probe the
 * children are dev 2 (NVMe, MSI-X 4) and dev 3 (MSI 1) on the VMD segment.
 */
import { boot } from '../helpers.ts';
import { Session } from './fixtures.ts';
import { vmdPlatformConfig } from '../../models/world/platform.ts';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile, type KernelVersion } from '../../models/world/profile.ts';
import type { World } from '../../models/world/types.ts';

export const VMD_CTRL = 0;
export const VMD_NIC = 1;
export const VMD_NVME = 2;
export const VMD_OTHER = 3;

export type VmdFault = 'B05' | 'B25';

export const vmdSession = (v: KernelVersion, faults: readonly VmdFault[] = []): Session =>
  new Session(
    faults.length
      ? bootWorld({ ...kernelProfile(v, { quirks: false }), faults }, vmdPlatformConfig)
      : boot(v, { config: vmdPlatformConfig }),
  );

/** VMD bound, the NVMe child bound (managed) with 2 MSI-X vectors */
export function nvmeRunning(v: KernelVersion, faults: readonly VmdFault[] = []): Session {
  const s = vmdSession(v, faults);
  s.ok({ type: 'vmdProbe', dev: VMD_CTRL, fail: null });
  s.ok({ type: 'driverProbe', dev: VMD_NVME, managed: true, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: VMD_NVME, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
  return s;
}

/** the MSI irqs of @dev */
export const devIrqs = (w: World, dev: number) =>
  Object.values(w.irqs).filter((d) => d.owner?.kind === 'msi' && w.descs[d.owner.desc]?.dev === dev);
