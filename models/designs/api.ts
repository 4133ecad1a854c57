/*
 * models/designs/api.ts - the kernel-model primitives a design file may use, in one object
 *
 * A user's design file can live anywhere (outside this repository too): it gets this object as
 * the argument of its default-exported function, so it needs no runtime import of irqcheck
 * (type-only imports are erased). Everything here is a pure function of the world.
 */
import { irqDomainCreateHierarchy, irqDomainRemove } from '../kernel/irq/irqdomain.ts';
import {
  platformMsiCreateIrqDomain,
  platformMsiDomainAllocIrqs,
  platformMsiDomainFreeIrqs,
} from '../drivers/base/platform-msi.ts';
import { pciCreateImsDomain, pciImsAllocIrq, pciImsFreeIrq } from '../drivers/pci/msi.ts';
import { addMsiListDescs, freeMsiListDescs, msiDomainAllocIrqs510, msiDomainFreeIrqs510 } from '../kernel/irq/msi.ts';
import { devSetMsiDomain } from '../drivers/base/device.ts';
import { domainName, putDomain, unitForDevice } from '../world/world.ts';
import { bug, err, ok, okVoid, uaf, warned } from '../world/outcome.ts';
import {
  asFailure,
  designDomain,
  imsSlotGet,
  imsSlotPut,
  msiListVirqs,
  pfIrParent,
  setDesignDomain,
  vectors,
} from './helpers.ts';
import { rfcV2DevMsi } from './rfc-v2-dev-msi.ts';
import { assignDomain, platformMsiAssignDomain } from './assign-domain.ts';
import { deviceDomain, pciImsArrayCreateMsiIrqDomain } from './device-domain.ts';
import { perDeviceMsi } from './per-device-msi.ts';

export const designApi = {
  // outcomes, as the kernel function would end
  ok,
  okVoid,
  err,
  warned,
  bug,
  uaf,
  asFailure,
  // domains (kernel/irq/irqdomain.c, drivers/base/platform-msi.c, drivers/pci/msi/)
  irqDomainCreateHierarchy,
  irqDomainRemove,
  platformMsiCreateIrqDomain,
  platformMsiAssignDomain,
  pciImsArrayCreateMsiIrqDomain,
  pciCreateImsDomain,
  devSetMsiDomain,
  putDomain,
  domainName,
  // interrupts
  platformMsiDomainAllocIrqs,
  platformMsiDomainFreeIrqs,
  pciImsAllocIrq,
  pciImsFreeIrq,
  addMsiListDescs,
  freeMsiListDescs,
  msiDomainAllocIrqs510,
  msiDomainFreeIrqs510,
  msiListVirqs,
  // topology, the design's static domain pointers, the PF driver's IMS slot bitmap
  unitForDevice,
  pfIrParent,
  designDomain,
  setDesignDomain,
  imsSlotGet,
  imsSlotPut,
  vectors,
  // the built-in designs, to start from
  designs: { rfcV2DevMsi, assignDomain, deviceDomain, perDeviceMsi },
};

export type DesignApi = typeof designApi;
