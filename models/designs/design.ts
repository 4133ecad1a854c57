/*
 * models/designs/design.ts - the design interface: how an API proposal for giving mdevs their
 * interrupts plugs into the model (README.md in this folder explains it with an example)
 *
 * A design is data (name, description, kernel it needs, assumptions) plus an ops table of pure
 * functions, as a kernel driver is a struct of callbacks. The model calls the hooks at the
 * points where the kernel would call into the proposal's code:
 *
 *   boot / IR unit up     intel_setup_irq_remapping(), dmar_ir_add()       -> irUnitAdded
 *   end of boot           the design's initcalls                           -> boot
 *   DMAR hot-remove       dmar_ir_hotplug(remove), before the IR domain goes -> irUnitRemoving
 *   idxd probe            idxd_pci_probe(), after MSI-X is set up            -> pfProbe
 *   idxd remove           idxd_remove(), after every mdev is gone            -> pfRemove
 *   mdev create           idxd_vdcm_create()                                 -> mdevCreate
 *   mdev open (guest)     idxd_vdcm_open() -> vidxd_setup_ims_entries()      -> mdevAllocIrqs
 *   mdev release          idxd_vdcm_release() -> vidxd_free_ims_entries()    -> mdevFreeIrqs
 *   mdev remove           idxd_vdcm_remove()                                 -> mdevRemove
 *   CPU hotplug           after the kernel's own offline/online handling     -> cpuHotplug
 *
 * Everything around the hooks is common driver code (models/drivers/dma/idxd): the WQ reference,
 * request_irq of each vector, the IMS PASID filter, the mdev's struct device. A hook uses only
 * the kernel model's primitives (models/kernel/irq, models/drivers) and returns an Outcome: ok,
 * err(errno), warned, bug or use-after-free, exactly as the kernel function it stands for would end.
 */
// the hook table's type is the drivers' (they call it), as a struct of callbacks is declared
// by the code that calls it: models/drivers/design-hooks.ts
export type { Design, ImsVector } from '../drivers/design-hooks.ts';

/** the hooks a design must implement (the rest are optional) */
export const requiredHooks = ['pfProbe', 'pfRemove', 'mdevAllocIrqs', 'mdevFreeIrqs'] as const;
export const optionalHooks = [
  'boot',
  'irUnitAdded',
  'irUnitRemoving',
  'mdevCreate',
  'mdevRemove',
  'cpuHotplug',
] as const;
