/*
 * src/report/call.ts - an operation as the kernel call a maintainer would type
 */
import { match } from 'ts-pattern';
import type { Op } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import type { FailPoint } from '../../models/kernel/irq/hierarchy.ts';
import { deviceName, domainName } from '../../models/world/world.ts';
import { describeTask, tasksOf } from '../../models/kernel/irq/concurrency.ts';

const mask = (cpus: readonly number[]) => `{${cpus.join(',')}}`;
const inject = (f: FailPoint | null) => (f ? `  [inject: ${f.site} #${f.index} fails]` : '');
const domid = (d: 0 | 1) => (d === 0 ? 'MSI_DEFAULT_DOMAIN' : 'MSI_SECONDARY_DOMAIN');

/** describeCall() - @op in kernel-call form, with names resolved in the world it ran on */
export function describeCall(w: World, op: Op): string {
  const dev = (id: number) => deviceName(w, id);
  const dom = (id: number | null) => domainName(w, id);
  return match(op)
    .with({ type: 'platformMsiCreateIrqDomain' }, (o) => `platform_msi_create_irq_domain(parent=${dom(o.parent)})`)
    .with({ type: 'irqDomainRemove' }, (o) => `irq_domain_remove(${dom(o.domain)})`)
    .with({ type: 'devSetMsiDomain' }, (o) => `dev_set_msi_domain(${dev(o.dev)}, ${dom(o.domain)})`)
    .with({ type: 'pciCreateImsDomain' }, (o) => `pci_create_ims_domain(${dev(o.dev)}, &ims_template, hwsize=${o.hwsize})`)
    .with({ type: 'msiRemoveDeviceIrqDomain' }, (o) => `msi_remove_device_irq_domain(${dev(o.dev)}, ${domid(o.domid)})`)
    .with({ type: 'irqDomainAllocIrqs' }, (o) => `irq_domain_alloc_irqs(${dom(o.domain)}, ${o.n}${o.cpus ? `, mask=${mask(o.cpus)}` : ''})  # ${o.client}${inject(o.fail)}`)
    .with({ type: 'irqDomainFreeIrqs' }, (o) => `irq_domain_free_irqs(${o.virq}, ${o.n})  # ${o.client}`)
    .with({ type: 'requestIrq' }, (o) => (o.devm && o.dev !== null ? `devm_request_irq(${dev(o.dev)}, ${o.virq})` : `request_irq(${o.virq}${o.dev !== null ? `, dev_id=${dev(o.dev)}` : ''})`))
    .with({ type: 'freeIrq' }, (o) => `free_irq(${o.virq})`)
    .with({ type: 'irqSetAffinity' }, (o) => (o.fromUser ? `echo ${o.cpus.join(',')} > /proc/irq/${o.virq}/smp_affinity_list` : `irq_set_affinity(${o.virq}, ${mask(o.cpus)})`))
    .with({ type: 'deviceFireIrq' }, (o) => `<device raises irq ${o.virq}>`)
    .with({ type: 'cpuOffline' }, (o) => `cpu_down(CPU${o.cpu})`)
    .with({ type: 'cpuOnline' }, (o) => `cpu_up(CPU${o.cpu})`)
    .with({ type: 'pciAllocIrqVectors' }, (o) => `pci_alloc_irq_vectors(${dev(o.dev)}, ${o.min}, ${o.max}, PCI_IRQ_${o.irqType.toUpperCase()}${o.affinity ? ' | PCI_IRQ_AFFINITY' : ''})${inject(o.fail)}`)
    .with({ type: 'pciFreeIrqVectors' }, (o) => `pci_free_irq_vectors(${dev(o.dev)})`)
    .with({ type: 'pciMsixAllocIrqAt' }, (o) => `pci_msix_alloc_irq_at(${dev(o.dev)}, ${o.index === 'any' ? 'MSI_ANY_INDEX' : o.index}, NULL)${inject(o.fail)}`)
    .with({ type: 'pciMsixFreeIrq' }, (o) => `pci_msix_free_irq(${dev(o.dev)}, {index ${o.index}, virq ${o.virq}})`)
    .with({ type: 'pciImsAllocIrq' }, (o) => `pci_ims_alloc_irq(${dev(o.dev)}, &icookie=${o.icookie}, NULL)${inject(o.fail)}`)
    .with({ type: 'pciImsFreeIrq' }, (o) => `pci_ims_free_irq(${dev(o.dev)}, {index ${o.index}, virq ${o.virq}})`)
    .with({ type: 'msiDomainAllocIrqsRange' }, (o) => `msi_domain_alloc_irqs_range(${dev(o.dev)}, ${domid(o.domid)}, ${o.first}, ${o.last})${inject(o.fail)}`)
    .with({ type: 'msiDomainFreeIrqsRange' }, (o) => `msi_domain_free_irqs_range(${dev(o.dev)}, ${domid(o.domid)}, ${o.first}, ${o.last})`)
    .with({ type: 'platformMsiDomainAllocIrqs' }, (o) => `platform_msi_domain_alloc_irqs(${dev(o.dev)}, ${o.nvec}, write_msg)${inject(o.fail)}`)
    .with({ type: 'platformMsiDomainFreeIrqs' }, (o) => `platform_msi_domain_free_irqs(${dev(o.dev)})`)
    .with({ type: 'idxdProbe' }, (o) => `idxd_pci_probe(${dev(o.pf)})${inject(o.fail)}`)
    .with({ type: 'idxdWqConfig' }, (o) => `echo ${o.wqType} ${o.mode} size=${o.size} group=${o.group ?? -1} > ${dev(o.pf)}/wq${o.wq}`)
    .with({ type: 'idxdEngineConfig' }, (o) => `echo ${o.group ?? -1} > ${dev(o.pf)}/engine${o.engine}/group_id`)
    .with({ type: 'idxdDeviceEnable' }, (o) => `idxd_device_enable(${dev(o.pf)})`)
    .with({ type: 'idxdDeviceDisable' }, (o) => `idxd_device_disable(${dev(o.pf)})`)
    .with({ type: 'idxdWqEnable' }, (o) => `idxd_wq_enable(${dev(o.pf)}/wq${o.wq})`)
    .with({ type: 'idxdWqDisable' }, (o) => `idxd_wq_disable(${dev(o.pf)}/wq${o.wq})`)
    .with({ type: 'mdevCreate' }, (o) => `mdev_device_create(${dev(o.pf)}, wq${o.wq})`)
    .with({ type: 'mdevOpen' }, (o) => `idxd_vdcm_open(mdev${o.mdev})${inject(o.fail)}`)
    .with({ type: 'mdevRelease' }, (o) => `idxd_vdcm_release(mdev${o.mdev})`)
    .with({ type: 'mdevRemove' }, (o) => `mdev_device_remove(mdev${o.mdev})`)
    .with({ type: 'dsaImsInterrupt' }, (o) => `<${dev(o.pf)} completes a descriptor of PASID ${o.pasid} through IMS slot ${o.slot}>`)
    .with({ type: 'dmarHotRemove' }, (o) => `dmar_hp_remove_drhd(${w.units[o.unit]?.name ?? `DRHD${o.unit}`})`)
    .with({ type: 'dmarHotAdd' }, (o) => `dmar_hp_add_drhd(${w.units[o.unit]?.name ?? `DRHD${o.unit}`})${o.fail ? '  [inject: dmar_enable_qi fails]' : ''}`)
    .with({ type: 'acpiIoapicAdd' }, (o) => `acpi_ioapic_add(IOAPIC[${o.ioapic}] id ${w.ioapics?.[o.ioapic]?.id ?? '?'})`)
    .with({ type: 'mpUnregisterIoapic' }, (o) => `mp_unregister_ioapic(IOAPIC[${o.ioapic}] id ${w.ioapics?.[o.ioapic]?.id ?? '?'})`)
    .with({ type: 'mpMapPinToIrq' }, (o) => `mp_map_pin_to_irq(IOAPIC[${o.ioapic}], pin ${o.pin}, IOAPIC_MAP_ALLOC)`)
    .with({ type: 'mpUnmapIrq' }, (o) => `mp_unmap_irq(${o.virq})`)
    .with({ type: 'driverProbe' }, (o) => `driver_probe_device(irqcheck-test, ${dev(o.dev)})${o.managed ? '  # pcim_enable_device()' : ''}${o.fail ? '  [probe fails]' : ''}`)
    .with({ type: 'deviceReleaseDriver' }, (o) => `device_release_driver(${dev(o.dev)})`)
    .with({ type: 'deviceUnregister' }, (o) => `device_unregister(${dev(o.dev)})`)
    .with({ type: 'dmarSetInterrupt' }, (o) => `dmar_set_interrupt(${w.units[o.unit]?.name ?? `DRHD${o.unit}`})`)
    .with({ type: 'hvEjectDevice' }, (o) => `hv_eject_device_work(${dev(o.dev)})  # host sent PCI_EJECT`)
    .with({ type: 'irqCreateFwspecMapping' }, (o) => `irq_create_fwspec_mapping(${dev(o.dev)}, pin ${o.pin})`)
    .with({ type: 'irqDisposeMapping' }, (o) => `irq_dispose_mapping(${o.virq})`)
    .with({ type: 'vmdProbe' }, (o) => `vmd_probe(${dev(o.dev)})${inject(o.fail)}`)
    .with({ type: 'msiIrqsShow' }, (o) => `cat /sys/bus/pci/devices/${dev(o.dev)}/msi_irqs/${o.virq}  # enters msi_mode_show()`)
    .with({ type: 'taskResume' }, (o) => {
      const t = tasksOf(w).find((x) => x.id === o.task);
      return `<task #${o.task} resumes${t ? `: ${describeTask(w, t)}` : ''}>`;
    })
    .with({ type: 'irqCreateLineMapping' }, (o) => `irq_create_fwspec_mapping(${dev(o.dev)}'s line: pin ${w.config.devices[o.dev]?.irqLine ?? '?'})`)
    .with({ type: 'irqDisposeLineMapping' }, (o) => `irq_dispose_mapping(${w.lineIrqs?.[o.dev] ?? '?'})  # ${dev(o.dev)}`)
    .exhaustive();
}
