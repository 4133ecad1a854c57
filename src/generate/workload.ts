/*
 * src/generate/workload.ts - the driver-level workload a design is judged under: what admins,
 * guests and hardware do, every call legal from the user's side
 *
 * An admin binds and unbinds idxd, unplugs a PF, configures and enables WQs, creates and removes
 * mdevs, moves interrupts (/proc/irq/N/smp_affinity), takes CPUs and DMAR units off and back on
 * line; a guest opens and closes its mdev; the DSA raises completions. Allocation failures are
 * injected inside probe and open. The legal guards (each operation's candidates, models/ops/)
 * keep the order an admin must follow (unbind before unplug, devices gone before their DMAR unit), so whatever
 * breaks is the design's fault or the kernel's, never the workload's.
 */
import type { OpType } from '../../models/ops.ts';

export const workloadOpTypes: readonly OpType[] = [
  // admin: the PF driver and the PCI device
  'idxdProbe',
  'deviceReleaseDriver',
  'deviceUnregister',
  // admin: sysfs configuration of the DSA
  'idxdWqConfig',
  'idxdEngineConfig',
  'idxdDeviceEnable',
  'idxdDeviceDisable',
  'idxdWqEnable',
  'idxdWqDisable',
  // admin and guest: mdevs through the mdev core and vfio
  'mdevCreate',
  'mdevOpen',
  'mdevRelease',
  'mdevRemove',
  // hardware: a descriptor completes through an IMS slot; an interrupt arrives
  'dsaImsInterrupt',
  'deviceFireIrq',
  // platform: CPU hotplug, affinity, DMAR unit hotplug
  'cpuOffline',
  'cpuOnline',
  'irqSetAffinity',
  'dmarHotRemove',
  'dmarHotAdd',
];
