/*
 * models/drivers/pci/controller/vmd-types.ts - the Intel VMD driver's state (drivers/pci/controller/vmd.c)
 */
import type { DevId, DomainId, Virq } from '../../../world/types.ts';

/** struct vmd_irq_list: one of the VMD's own MSI-X vectors, shared by the child irqs mapped to it */
export interface VmdIrqList {
  /** the VMD's own Linux irq for this MSI-X vector (pci_irq_vector(vmd, i)), handler vmd_irq() */
  readonly virq: Virq;
  /** child irqs assigned here (vmd_next_irq() counts only its fast path, vmd_msi_free() always decrements) */
  readonly count: number;
}

/** struct vmd_dev */
export interface VmdState {
  readonly dev: DevId;
  /** vmd->irq_domain: the VMD MSI domain (5.10) / MSI parent domain (6.x) */
  readonly domain: DomainId | null;
  readonly firstVec: number;
  readonly lists: readonly VmdIrqList[];
  /** the devices pci_scan_child_bus() found on the VMD root bus */
  readonly children: readonly DevId[];
}

/** struct vmd_irq: maps one child irq onto one vmd_irq_list (chip_data of the VMD level) */
export interface VmdIrq {
  readonly id: number;
  readonly vmd: DevId;
  readonly list: number;
  readonly virq: Virq;
}

/** the name the VMD driver binds as (struct pci_driver vmd_drv) */
export const VMD_DRIVER = 'vmd';
