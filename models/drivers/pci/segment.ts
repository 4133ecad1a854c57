/*
 * models/drivers/pci/segment.ts - PCI segments (PCI domain numbers) and the PCI/MSI hwirq
 *
 * Kernel: drivers/pci/msi/irqdomain.c pci_msi_domain_calc_hwirq() (drivers/pci/msi.c before
 * 5.17), include/linux/pci.h pci_domain_nr(), pci_dev_id().
 *
 * A PCI function is named segment:bus:dev.fn ("0019:00:00.0"). A shared (non per-device) PCI/MSI
 * domain - the 5.10 x86 global PCI-MSI domain and the per-unit INTEL-IR-MSI domains - tells its
 * interrupts apart by hwirq = msi index | requester id << 11 | segment << 27 (irq_hw_number_t is
 * 64 bits wide). 6.2 per-device domains use the msi index alone and do not call it.
 * A device without a segment in its configuration is on segment 0.
 */
import type { Device, MsiDesc, World } from '../../world/types.ts';
import { hasFault } from '../../world/profile.ts';

/** pci_domain_nr(dev->bus) */
export const pciDomainNr = (d: Device): number => d.segment ?? 0;

/**
 * pciMsiDomainCalcHwirq() - the hwirq of @desc's first vector in a shared PCI/MSI domain
 * (arithmetic, not JS bit operators: the value is wider than 32 bits)
 */
export function pciMsiDomainCalcHwirq(w: World, dev: Device, desc: MsiDesc): number {
  return pciMsiHwirq(w, dev, desc.msiIndex);
}

/** the hwirq of msi index @index of @dev in a shared PCI/MSI domain */
export function pciMsiHwirq(w: World, dev: Device, index: number): number {
  const seg = pciDomainNr(dev);
  // B32: before db744ddd59be ("PCI/MSI: Prevent MSI hardware interrupt number truncation") the
  // segment was shifted as a 32-bit value: only its low 5 bits survived (0x19 and 0x39 collide)
  const segField = hasFault(w.profile, 'B32') ? (seg % 32) * 2 ** 27 : seg * 2 ** 27;
  return index + (dev.rid ?? 0) * 2 ** 11 + segField;
}
