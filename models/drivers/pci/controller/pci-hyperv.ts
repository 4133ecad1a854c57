/*
 * models/drivers/pci/controller/pci-hyperv.ts - the Hyper-V virtual PCI bus (a guest's pass-through VFs)
 *
 * Kernel: drivers/pci/controller/pci-hyperv.c hv_pcie_init_irq_domain(), hv_compose_msi_msg(),
 * hv_msi_free(), hv_int_desc_free(), get_pcichild_wslot(), hv_pci_eject_device(),
 * hv_eject_device_work() (the 5.10 shape).
 *
 * The bus driver (hbus) keeps a list of its child functions (hpdev), one per device the host
 * offers. Their MSIs come from one HV-PCI-MSI domain per bus (pci_msi_create_irq_domain() on the
 * x86 vector domain, hwirq by pci_msi_domain_calc_hwirq()). Composing an interrupt's message
 * asks the host to create it: the host answers with a tran_int_desc, kept in the irq_data's
 * chip_data (a recompose - activation, affinity change - deletes the old one first). Freeing the
 * interrupt tells the host (PCI_DELETE_INTERRUPT_MESSAGE) and frees the descriptor. When the
 * host ejects a function (PCI_EJECT), the eject work takes its hpdev off the list; the PCI
 * device and its interrupts are torn down by the guest after that, and from then on the child
 * cannot be found any more: compose writes no message, and free must still drop the descriptor.
 * Left out: the VMBus messages themselves, the bus relations / hot add path, hv_irq_unmask()'s
 * retarget hypercall, PCI_EJECTION_COMPLETE.
 */
import type { DevId, DomainId, MsiChipData, Virq, World } from '../../../world/types.ts';
import { err, okVoid, type Outcome } from '../../../world/outcome.ts';
import { irqDomainCreateNamed, bootPlainDomain } from '../../../kernel/irq/fwnode.ts';
import { levelOf, putLevel, putPlatform, updDevice } from '../../../world/world.ts';
import { hasFault } from '../../../world/profile.ts';
import { recDel, recPut } from '../../../world/util.ts';

/** the devices of the platform that sit on the Hyper-V PCI bus */
export const hvPciDevices = (w: World): DevId[] => w.config.devices.flatMap((c, id) => (c.hv ? [id] : []));

/** get_pcichild_wslot(): the function's hpdev is still on the bus list */
const hpdevPresent = (w: World, dev: DevId): boolean => w.platform.hvChildren.includes(dev);

/** the device whose msi_desc owns @virq */
function msiDev(w: World, virq: Virq): DevId | null {
  const o = w.irqs[virq]?.owner;
  return o?.kind === 'msi' ? (w.descs[o.desc]?.dev ?? null) : null;
}

/** kfree(int_desc) */
const intDescFree = (w: World, id: number): World => putPlatform(w, { hvIntDescs: recDel(w.platform.hvIntDescs, id) });

/**
 * hvPciProbe() - the bus at boot: its HV-PCI-MSI domain (named fwnode, parent the vector domain,
 * msi_info with the default ops, MULTI_PCI_MSI and PCI_MSIX), every child on the list and its
 * MSI domain pointing at the bus domain
 * Kernel: pci-hyperv.c hv_pci_probe() -> hv_pcie_init_irq_domain(); pci_msi_create_irq_domain()
 * adds ACTIVATE_EARLY and MUST_REACTIVATE, and on 6.2 FREE_MSI_DESCS (the core frees the descs)
 */
export function hvPciProbe(w: World): World {
  const devs = hvPciDevices(w);
  if (devs.length === 0) return w;
  const d = irqDomainCreateNamed(w, {
    name: 'HV-PCI-MSI',
    kind: 'msi',
    parent: w.vectorDomain,
    busToken: 'PCI_MSI',
    msiParent: false,
    ...bootPlainDomain,
    msiInfo: {
      activateEarly: true,
      mustReactivate: true,
      allocSimpleDescs: false,
      freeDescs: w.profile.version !== '5.10',
      multiPciMsi: true,
      pciMsix: true,
      allocDyn: false,
      pciIms: false,
      hwsize: 0,
      chip: 'hv-pci',
    },
  });
  let out: World = putPlatform(d.w, { hvChildren: devs });
  for (const dev of devs) out = updDevice(out, dev, (x) => ({ ...x, msiDomain: d.id as DomainId }));
  return out;
}

/**
 * hvComposeMsiMsg() - ask the host for the interrupt: the old descriptor (if any) is deleted, a
 * new one kept in chip_data; with the child gone from the list no message is composed
 * Kernel: pci-hyperv.c hv_compose_msi_msg() (hpdev = get_pcichild_wslot(); if (!hpdev) goto
 * return_null_message; then if (data->chip_data) hv_int_desc_free(hpdev, old))
 */
export function hvComposeMsiMsg(w: World, lvl: number, virq: Virq): World {
  const l = levelOf(w, virq, lvl);
  const chip = l.chip as MsiChipData;
  const dev = msiDev(w, virq);
  // the child is looked up first: without it the message is zero and chip_data stays
  if (dev === null || !hpdevPresent(w, dev)) return putLevel(w, virq, lvl, { ...l, chip: { ...chip, msg: null } });
  let out = w;
  if (chip.intDesc !== undefined) out = intDescFree(out, chip.intDesc);
  const id = out.nextHvIntDesc;
  out = { ...putPlatform(out, { hvIntDescs: recPut(out.platform.hvIntDescs, id, virq) }), nextHvIntDesc: id + 1 };
  return putLevel(out, virq, lvl, { ...l, chip: { kind: 'msi', msg: chip.msg, intDesc: id } });
}

/**
 * hvMsiFree() - the msi_free callback: take the descriptor out of chip_data, tell the host if
 * the child is still there, free it either way
 * Kernel: pci-hyperv.c hv_msi_free(), hv_int_desc_free()
 */
export function hvMsiFree(w: World, lvl: number, virq: Virq): World {
  const l = levelOf(w, virq, lvl);
  const chip = l.chip as MsiChipData;
  if (chip.intDesc === undefined) return w;
  const dev = msiDev(w, virq);
  // B14: before 0c6e617f656e ("PCI: hv: Fix interrupt cleanup path") hv_msi_free() looked the
  // child up first and returned when it was gone, leaving int_desc allocated
  if ((dev === null || !hpdevPresent(w, dev)) && hasFault(w.profile, 'B14')) return w;
  const out = putLevel(w, virq, lvl, { ...l, chip: { kind: 'msi', msg: chip.msg } });
  return intDescFree(out, chip.intDesc);
}

/**
 * hvEjectDevice() - the host ejects a function: the eject work takes its hpdev off the bus list
 * (the guest then tears the PCI device down: its driver frees the vectors, the device goes)
 * Kernel: pci-hyperv.c hv_pci_eject_device() -> hv_eject_device_work(): list_del(&hpdev->list_entry)
 */
export function hvEjectDevice(w: World, dev: DevId): Outcome<void> {
  if (!hpdevPresent(w, dev))
    return err(w, 'ENODEV', `${w.devices[dev]?.name ?? `device #${dev}`} is not on the Hyper-V PCI bus`);
  return okVoid(putPlatform(w, { hvChildren: w.platform.hvChildren.filter((d) => d !== dev) }));
}
