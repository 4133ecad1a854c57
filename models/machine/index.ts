/*
 * models/machine/index.ts - the composition root: the one module that knows every layer
 *
 * The core (models/kernel/irq) and the drivers reach arch code, drivers and designs only
 * through tables (models/kernel/irq/registry.ts, models/drivers/base/driver.ts,
 * models/drivers/design-hooks.ts). This module fills them, once, when it is imported, as the
 * kernel's initcalls and driver registrations do at boot. Every entry point imports it:
 * models/step.ts, vitest.setup.ts (tests that call kernel functions directly).
 *
 * The entries reproduce what the model did before it had tables, including its simplifications:
 * a level kind that the code treated "like the x86 vector domain" is registered with the vector
 * domain's callbacks below, and says so.
 */
import { domainOpsOverlays } from '../faults/overlays.ts';
import type { DomainKind } from '../world/types.ts';
import { okVoid } from '../world/outcome.ts';
import {
  registerArchIrqHooks,
  irqChipOf,
  registerComposeMsiMsg,
  registerDomainOps,
  registerDomainOpsOverlay,
  registerIrqChip,
  registerMsiChip,
  registerMsiHooks,
  registerMsiParentChip,
  registerMsiTarget,
} from '../kernel/irq/registry.ts';
import { msiDomainOps, msiDomainSetAffinity } from '../kernel/irq/msi-domain.ts';
import { wiredDomainOps, wiredSetAffinity } from '../kernel/irq/irq-mapping.ts';
import { apicSetAffinity, vectorDomainOps, vectorFreeMovedVector, x86VectorComposeMsiMsg } from '../arch/x86/vector.ts';
import { ioapicDomainOps, ioapicSetAffinity } from '../arch/x86/ioapic.ts';
import { irDomainOps } from '../drivers/iommu/ir-select.ts';
import { intelIrComposeMsiMsg, intelIrSetAffinity } from '../drivers/iommu/intel/irq-remapping.ts';
import {
  itsDomainOps,
  itsIrqComposeMsiMsg,
  itsSetAffinity,
  msiDomainPrepareIrqs,
  msiDomainTeardown,
} from '../drivers/irqchip/its.ts';
import { MBIGEN_DRIVER, mbigenDomainOps, mbigenSetAffinity } from '../drivers/irqchip/mbigen.ts';
import {
  vmdChainedVirq,
  vmdChipComposeMsiMsg,
  vmdDomainOps,
  vmdIrqSetAffinity,
  vmdParentSetAffinity,
  vmdRemove,
} from '../drivers/pci/controller/vmd.ts';
import { VMD_DRIVER } from '../drivers/pci/controller/vmd-types.ts';
import { hvComposeMsiMsg, hvMsiFree } from '../drivers/pci/controller/pci-hyperv.ts';
import { pciMsiDomainCalcHwirq } from '../drivers/pci/segment.ts';
import { imsChipWriteMsg, imsPlatformChipWriteMsg } from '../drivers/dma/idxd/ims-chip.ts';
import { IDXD_DRIVER, idxdRemove } from '../drivers/dma/idxd/idxd.ts';
import { VFIO_MDEV_DRIVER } from '../drivers/dma/idxd/vdcm.ts';
import { TEST_DRIVER } from '../drivers/base/device.ts';
import { registerDeviceDriver } from '../drivers/base/driver.ts';
import { registerDesignLookup } from '../drivers/design-hooks.ts';
import { designOf } from '../designs/index.ts';

// struct irq_domain_ops, by domain kind
registerDomainOps('vector', vectorDomainOps);
registerDomainOps('ir', irDomainOps);
registerDomainOps('msi', msiDomainOps);
registerDomainOps('ioapic', ioapicDomainOps);
registerDomainOps('its', itsDomainOps);
registerDomainOps('mbigen', mbigenDomainOps);
registerDomainOps('vmd', vmdDomainOps);
registerDomainOps('wired', wiredDomainOps);
// catalog faults that replace an irq_domain_ops slot while switched on
for (const o of domainOpsOverlays) registerDomainOpsOverlay(o);

// struct irq_chip of an irq's top level: irq_set_affinity as irq_do_set_affinity() calls it
registerIrqChip('vector', { setAffinity: apicSetAffinity });
registerIrqChip('ir', { setAffinity: intelIrSetAffinity });
registerIrqChip('msi', { setAffinity: msiDomainSetAffinity });
registerIrqChip('ioapic', { setAffinity: ioapicSetAffinity });
registerIrqChip('mbigen', { setAffinity: mbigenSetAffinity });
registerIrqChip('wired', { setAffinity: wiredSetAffinity });
registerIrqChip('vmd', { setAffinity: vmdIrqSetAffinity });
// an ITS level is never an irq's top; were it, the model moves it like a vector level
registerIrqChip('its', { setAffinity: apicSetAffinity });

// the parent's irq_chip as msi_domain_set_affinity() calls it; done = IRQ_SET_MASK_OK_DONE
registerMsiParentChip('ir', { setAffinity: intelIrSetAffinity, done: true });
registerMsiParentChip('its', { setAffinity: itsSetAffinity, done: true });
registerMsiParentChip('vmd', { setAffinity: vmdParentSetAffinity, done: false });
// an MSI level over any other parent: irq_chip_set_affinity_parent(), the parent level's own
// irq_chip (an MSI parent chains on through msi_domain_set_affinity(), as pci_msi_controller does)
for (const k of ['vector', 'msi', 'ioapic', 'mbigen', 'wired'] satisfies DomainKind[])
  registerMsiParentChip(k, {
    setAffinity: (w, virq, lvl, dest) => irqChipOf(k).setAffinity(w, virq, lvl, dest),
    done: false,
  });

// irq_chip::irq_compose_msi_msg of the level below an MSI level, by its chip data
registerComposeMsiMsg('ir', intelIrComposeMsiMsg);
registerComposeMsiMsg('its', itsIrqComposeMsiMsg);
registerComposeMsiMsg('vmd', vmdChipComposeMsiMsg);
registerComposeMsiMsg('vector', x86VectorComposeMsiMsg);
// an MSI level has no irq_compose_msi_msg (composeMsiMsg() walks past it); the Hyper-V IR and
// mbigen chips below an MSI level are read as the vector's (direct format), as the model always did
for (const k of ['msi', 'hv-ir', 'mbigen'] as const) registerComposeMsiMsg(k, x86VectorComposeMsiMsg);

// the MSI domain's own chip (write_msi_msg) and msi_domain_ops, by msi_domain_info's chip kind
registerMsiChip('pci-msi', {});
registerMsiChip('pci-msix', {});
registerMsiChip('dmar', {});
registerMsiChip('ims', { writeMsg: imsChipWriteMsg });
registerMsiChip('ims-array', { writeMsg: imsChipWriteMsg });
registerMsiChip('platform', { writeMsg: imsPlatformChipWriteMsg });
registerMsiChip('hv-pci', { msiFree: hvMsiFree, composed: hvComposeMsiMsg });

// where a device's message goes: a VMD entry raises the VMD's own interrupt (vmd_irq())
registerMsiTarget('vmd', { chainedVirq: vmdChainedVirq });
registerMsiTarget('direct', {});
registerMsiTarget('remappable', {});
registerMsiTarget('its', {});

// the MSI core's calls into PCI and the MSI parent (msi_domain_ops, msi_parent_ops)
registerMsiHooks({ pciCalcHwirq: pciMsiDomainCalcHwirq, prepare: msiDomainPrepareIrqs, teardown: msiDomainTeardown });

// arch hooks of the generic irq code (arch/x86/kernel/apic/vector.c)
registerArchIrqHooks({ irqCompleteMove: vectorFreeMovedVector, irqForceCompleteMove: vectorFreeMovedVector });

// struct device_driver, by the name a device is bound as
registerDeviceDriver({ name: TEST_DRIVER, remove: (w) => okVoid(w) });
registerDeviceDriver({ name: IDXD_DRIVER, remove: idxdRemove });
registerDeviceDriver({ name: VMD_DRIVER, remove: vmdRemove });
registerDeviceDriver({ name: MBIGEN_DRIVER, remove: (w) => okVoid(w) });
registerDeviceDriver({ name: VFIO_MDEV_DRIVER, remove: (w) => okVoid(w) });

// the design a world names: its hooks, for idxd, vdcm and DMAR hotplug
registerDesignLookup(designOf);
