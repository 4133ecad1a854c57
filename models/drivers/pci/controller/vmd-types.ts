/*
 * models/drivers/pci/controller/vmd-types.ts - the Intel VMD driver's state (drivers/pci/controller/vmd.c)
 */

// the state types are part of the world (models/world/types.ts); re-exported for the driver code
export type { VmdIrq, VmdIrqList, VmdState } from '../../../world/types.ts';

/** the name the VMD driver binds as (struct pci_driver vmd_drv) */
export const VMD_DRIVER = 'vmd';
