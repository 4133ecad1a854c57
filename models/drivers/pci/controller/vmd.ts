/*
 * models/drivers/pci/controller/vmd.ts - Intel Volume Management Device (drivers/pci/controller/vmd.c)
 *
 * VMD is a PCI device that hides a PCI segment (the "VMD domain") behind it. The devices on that
 * segment (NVMe SSDs) write their MSI/MSI-X messages into the VMD's own MSI-X table: the message
 * carries a VMD MSI-X index as destination, not a CPU vector (vmd_compose_msi_msg()). The VMD
 * raises its own MSI-X interrupt, and its handler vmd_irq() calls every child irq mapped to that
 * vector (the vmd_irq_list). So the VMD irq domain demultiplexes: it needs no CPU vector of its
 * own per child interrupt, and has no parent (585dfe8abc44).
 *
 * Modelled: probe (pcim_enable_device, vmd_alloc_irqs: MSI-X vectors with devm vmd_irq handlers,
 * vmd_create_irq_domain on a named fwnode, the child devices found on the VMD root bus), the
 * VMD level of a child irq (a kzalloc'd struct vmd_irq as chip_data, mapped by vmd_next_irq()
 * onto one of the VMD's vectors), its free (vmd_msi_free), message composition, delivery through
 * the VMD's own interrupt, and remove (children deleted, domain removed, fwnode freed).
 * Two shapes, by kernel profile:
 *   5.10: pci_msi_create_irq_domain(fn, &vmd_msi_domain_info, NULL): the VMD domain is a PCI-MSI
 *         domain the children allocate from directly (msi_domain_ops + vmd_msi_init/vmd_msi_free).
 *   6.2 profile: the 2025 shape (d7d8ab87e3e7, msi_create_parent_irq_domain()): VMD is an MSI
 *         parent, each child gets a per-device PCI/MSI(-X) domain on top of it, and the VMD level
 *         is the second one (vmd_msi_alloc/vmd_msi_free as the domain's own ops).
 * Left out: config space, bus numbering and resources, MSI remapping bypass, PM, srcu (the
 * model is sequential), the enable/disable list add/remove (a child irq is on its list while it
 * is started: irq_startup() -> vmd_irq_enable()).
 */
import type {
  ChipData,
  CpuId,
  DevId,
  DomainId,
  MsiDomainInfo,
  MsiMsg,
  Virq,
  VmdChipData,
  World,
} from '../../../world/types.ts';
import type { VmdIrq, VmdState } from './vmd-types.ts';
import { VMD_DRIVER } from './vmd-types.ts';
import type { AllocArg, DomainOps, FailPoint } from '../../../kernel/irq/hierarchy.ts';
import { irqDomainAllocIrqsParent, irqDomainFreeIrqsParent } from '../../../kernel/irq/hierarchy.ts';
import { err, okVoid, uaf, warned, type Failure, type Outcome } from '../../../world/outcome.ts';
import { levelOf, newDevice, putDevice, putLevel, putPlatform, updDevice } from '../../../world/world.ts';
import { arrSet, recDel, recPut } from '../../../world/util.ts';
import { hasFault } from '../../../world/profile.ts';
import { irqDomainCreateNamed, freeDomainFwnode } from '../../../kernel/irq/fwnode.ts';
import { irqDomainRemove } from '../../../kernel/irq/irqdomain.ts';
import { pciAllocIrqVectors } from '../msi.ts';
import { requestIrq } from '../../../kernel/irq/manage.ts';
import { devresReleaseAll, deviceUnregister } from '../../base/device.ts';
import type { VmdConfig } from '../../../world/platform.ts';

/** the VMD configuration of controller @dev, or null if it is not a VMD */
export function vmdConfigOf(w: World, dev: DevId): VmdConfig | null {
  if (!w.config.vmd) return null;
  const name = w.devices[dev]?.name;
  return w.config.vmd.find((v) => v.controller === name) ?? null;
}

/** the bound VMD whose irq domain is @domain (domain->host_data) */
export function vmdOfDomain(w: World, domain: DomainId): VmdState | null {
  for (const s of Object.values(w.platform.vmd)) if (s.domain === domain) return s;
  return null;
}

/** 5.10 vmd_msi_domain_info as pci_msi_create_irq_domain() completes it (ACTIVATE_EARLY, MUST_REACTIVATE) */
const vmdMsiInfo510: MsiDomainInfo = {
  activateEarly: true,
  mustReactivate: true,
  allocSimpleDescs: false,
  freeDescs: false,
  multiPciMsi: false,
  pciMsix: true,
  allocDyn: false,
  pciIms: false,
  hwsize: 0,
  chip: 'pci-msi',
};

/**
 * vmdNextIrq() - the vmd_irq_list a new child irq is mapped to: the only one, or the shared
 * "slow" first vector for anything but NVMe, else the fast vector with the fewest child irqs
 * (only that path counts). Kernel: vmd.c vmd_next_irq()
 */
function vmdNextIrq(w: World, vmd: VmdState, child: DevId | null): { w: World; list: number } {
  if (vmd.lists.length === 1 + vmd.firstVec) return { w, list: vmd.firstVec };
  const name = child === null ? undefined : w.devices[child]?.name;
  const storage = vmdConfigOf(w, vmd.dev)?.children.find((c) => c.name === name)?.storage ?? false;
  if (!storage) return { w, list: vmd.firstVec };
  let best = vmd.firstVec + 1;
  for (let i = best; i < vmd.lists.length; i++) if (vmd.lists[i]!.count < vmd.lists[best]!.count) best = i;
  const lists = arrSet(vmd.lists, best, { ...vmd.lists[best]!, count: vmd.lists[best]!.count + 1 });
  return { w: putPlatform(w, { vmd: recPut(w.platform.vmd, vmd.dev, { ...vmd, lists }) }), list: best };
}

/**
 * vmdMsiAlloc() - per virq a struct vmd_irq mapped onto a VMD vector, as the level's chip_data
 * 5.10: msi_domain_alloc() allocates the parent first - there is none since 585dfe8abc44
 * (B05 brings back x86_vector_domain as parent) - then vmd_msi_init(). 6.x: vmd_msi_alloc().
 * The kernel sets the level's hwirq to the VMD vector's virq, which several child irqs share
 * (the revmap insert of the duplicate fails silently); the model numbers the level by its
 * vmd_irq so hwirqs stay unique.
 */
function vmdMsiAlloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  const domain = levelOf(w, virq, lvl).domain;
  if (!vmdOfDomain(w, domain)) return err(w, 'ENODEV', `${w.domains[domain]!.name}: no VMD behind the domain`);
  const p = irqDomainAllocIrqsParent(w, lvl, virq, n, arg);
  if (p.kind !== 'ok') return p;
  let out = p.world;
  for (let i = 0; i < n; i++) {
    const next = vmdNextIrq(out, vmdOfDomain(out, domain)!, arg.dev);
    out = next.w;
    const id = out.nextVmdIrq;
    const obj: VmdIrq = { id, vmd: vmdOfDomain(out, domain)!.dev, list: next.list, virq: virq + i };
    out = { ...putPlatform(out, { vmdIrqs: recPut(out.platform.vmdIrqs, id, obj) }), nextVmdIrq: id + 1 };
    const chip: VmdChipData = { kind: 'vmd', obj: id, msg: null };
    out = putLevel(out, virq + i, lvl, { ...levelOf(out, virq + i, lvl), hwirq: id, chip });
  }
  return okVoid(out);
}

/**
 * vmdMsiFree() - per virq: take the level's vmd_irq, drop the list count, kfree it
 * 5.10 msi_domain_free() calls vmd_msi_free() before the top level is reset; in the 6.x shape
 * the per-device MSI level above was reset (chip_data NULL, irq_domain_free_irqs_top()) before
 * its parent, the VMD level, is freed.
 * Kernel: vmd.c vmd_msi_free(); kernel/irq/irqdomain.c irq_domain_free_irqs_common()
 */
function vmdMsiFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const d = out.irqs[virq + i];
    const own = d?.levels[lvl];
    if (!d || !own || own.chip === null) continue; // this level's alloc never ran
    // B25: before d5c647b08ee0 vmd_msi_free() used irq_get_chip_data(virq), the chip_data of the
    // top level, instead of its own level's (irq_domain_get_irq_data(domain, virq)->chip_data)
    const chip = hasFault(w.profile, 'B25') ? d.levels[0]!.chip : own.chip;
    if (chip === null || chip.kind !== 'vmd') {
      return {
        ...out,
        crash: `vmd_msi_free(irq ${virq + i}): irq_get_chip_data() returns the ${out.domains[d.levels[0]!.domain]?.name ?? 'top'} level's chip_data (${chip === null ? 'NULL' : `a ${chip.kind} level's data`}), not the vmd_irq: NULL pointer dereference at vmdirq->irq`,
      };
    }
    const obj = out.platform.vmdIrqs[chip.obj];
    if (!obj)
      return {
        ...out,
        crash: `vmd_msi_free(irq ${virq + i}): kfree of vmd_irq #${chip.obj}, already freed (double free)`,
      };
    // synchronize_srcu(); vmdirq->irq->count--; kfree(vmdirq)
    const s = out.platform.vmd[obj.vmd];
    if (s?.lists[obj.list]) {
      const lists = arrSet(s.lists, obj.list, { ...s.lists[obj.list]!, count: s.lists[obj.list]!.count - 1 });
      out = putPlatform(out, { vmd: recPut(out.platform.vmd, s.dev, { ...s, lists }) });
    }
    out = putPlatform(out, { vmdIrqs: recDel(out.platform.vmdIrqs, obj.id) });
    out = putLevel(out, virq + i, lvl, { ...levelOf(out, virq + i, lvl), chip: null, programmed: false });
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}

/** vmd_compose_msi_msg(): the VMD MSI-X index of the level's vmd_irq_list as destination id */
export function vmdComposeMsiMsg(w: World, chip: VmdChipData): MsiMsg | null {
  const obj = w.platform.vmdIrqs[chip.obj];
  return obj ? { format: 'vmd', vmd: obj.vmd, index: obj.list } : null;
}

/** irq_chip_compose_msi_msg() from the MSI level above a VMD level (no vmd_irq: an invalid message) */
export const vmdChipComposeMsiMsg = (w: World, below: ChipData): MsiMsg =>
  vmdComposeMsiMsg(w, below as VmdChipData) ?? { format: 'vmd', vmd: -1, index: -1 };

/**
 * activation: as the top level (5.10) msi_domain_activate() composes the message with the VMD
 * chip and writes it to the child; below a per-device domain (6.x) the VMD domain has no
 * activate callback (the level above composes through irq_chip_compose_msi_msg())
 */
function vmdActivate(w: World, lvl: number, virq: Virq): Outcome<void> {
  const l = levelOf(w, virq, lvl);
  const chip = l.chip as VmdChipData;
  const msg = lvl === 0 ? vmdComposeMsiMsg(w, chip) : null;
  return okVoid(putLevel(w, virq, lvl, { ...l, programmed: true, chip: { ...chip, msg } }));
}

function vmdDeactivate(w: World, lvl: number, virq: Virq): World {
  const l = levelOf(w, virq, lvl);
  return putLevel(w, virq, lvl, { ...l, programmed: false, chip: { ...(l.chip as VmdChipData), msg: null } });
}

export const vmdDomainOps: DomainOps = {
  alloc: vmdMsiAlloc,
  free: vmdMsiFree,
  activate: (w, lvl, virq) => vmdActivate(w, lvl, virq),
  deactivate: vmdDeactivate,
};

/** pci_irq_vector(dev, i): the virq of MSI-X entry @i */
function pciIrqVector(w: World, dev: DevId, i: number): Virq | null {
  const d = w.devices[dev]!;
  if (w.profile.version === '5.10') {
    const desc = d.msiList.map((id) => w.descs[id]!).find((x) => x.msiIndex === i);
    return desc && desc.irq !== 0 ? desc.irq : null;
  }
  const id = d.msiData?.stores[0][i];
  const desc = id === undefined ? undefined : w.descs[id];
  return desc && desc.irq !== 0 ? desc.irq : null;
}

/**
 * vmdProbe() - bind the VMD driver to controller @dev
 * pcim_enable_device(); vmd_alloc_irqs(): MSI-X vectors (at least first_vec + 1) with a devm
 * vmd_irq() handler each; vmd_create_irq_domain(); the root bus scan adds the child devices,
 * whose MSI domain is the VMD domain (dev_set_msi_domain on the bus, pci_set_msi_domain()).
 * A failure (@fail inside the vector allocation) fails the probe; devres undoes the rest.
 * Kernel: vmd.c vmd_probe(), vmd_enable_domain(), vmd_alloc_irqs(), vmd_create_irq_domain()
 */
export function vmdProbe(w: World, dev: DevId, fail: FailPoint | null): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `vmd_probe of released device #${dev}`);
  if (!d.present) return err(w, 'ENODEV', `${d.name} is not added`);
  if (d.driver !== null) return err(w, 'EBUSY', `${d.name} already bound to ${d.driver}`);
  const cfg = vmdConfigOf(w, dev);
  if (!cfg) return err(w, 'ENODEV', `${d.name} is not a VMD controller`);
  let out = updDevice(w, dev, (x) => ({ ...x, driver: VMD_DRIVER, devres: [...x.devres, { kind: 'pcim-enable' }] }));
  // really_probe() after a failed probe: devres released, driver unbound
  const failed = (f: Failure): Outcome<void> => {
    const r = devresReleaseAll(f.world, dev);
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    return { ...f, world: updDevice(r.world, dev, (x) => ({ ...x, driver: null })) } as Failure;
  };
  const a = pciAllocIrqVectors(out, dev, cfg.firstVec + 1, d.msixTableSize, 'msix', false, fail);
  if (a.kind !== 'ok') return a.kind === 'bug' || a.kind === 'use-after-free' ? a : failed(a as Failure);
  out = a.world;
  const virqs: Virq[] = [];
  for (let i = 0; i < a.value; i++) {
    const v = pciIrqVector(out, dev, i);
    if (v === null) return failed(err(out, 'EINVAL', `pci_irq_vector(${d.name}, ${i}): no vector`) as Failure);
    const r = requestIrq(out, v, dev, true);
    if (r.kind !== 'ok') return r.kind === 'err' || r.kind === 'warned' ? failed(r as Failure) : r;
    out = r.world;
    virqs.push(v);
  }
  const v510 = w.profile.version === '5.10';
  const c = irqDomainCreateNamed(out, {
    name: 'VMD-MSI',
    kind: 'vmd',
    // B05: before 585dfe8abc44 the VMD domain was created with x86_vector_domain as parent
    parent: v510 && hasFault(w.profile, 'B05') ? w.vectorDomain : null,
    busToken: 'VMD_MSI', // irq_domain_update_bus_token(DOMAIN_BUS_VMD_MSI) / vmd_msi_parent_ops
    msiParent: !v510,
    msiDevice: false,
    isolatedMsi: false,
    dev: null,
    unit: null,
    msiInfo: v510 ? vmdMsiInfo510 : null,
    creator: 'driver',
  });
  out = c.w;
  const children: DevId[] = [];
  for (const cc of cfg.children) {
    const id = out.nextDevId;
    const child = newDevice({
      id,
      name: cc.name,
      bus: 'pci',
      parent: dev,
      rid: cc.rid,
      msixTableSize: cc.msixTableSize,
      msiVectors: cc.msiVectors,
      msiMaskable: cc.msiMaskable,
    });
    out = { ...putDevice(out, { ...child, present: true, msiDomain: c.id }), nextDevId: id + 1 };
    children.push(id);
  }
  const state: VmdState = {
    dev,
    domain: c.id,
    firstVec: cfg.firstVec,
    lists: virqs.map((v) => ({ virq: v, count: 0 })),
    children,
  };
  return okVoid(putPlatform(out, { vmd: recPut(out.platform.vmd, dev, state) }));
}

/**
 * vmdRemove() - the VMD driver's remove(): the root bus goes (every child device is unbound and
 * deleted), then the irq domain and its fwnode; the VMD's own vectors and handlers are devres
 * and go after remove() returns.
 * Kernel: vmd.c vmd_remove(), vmd_remove_irq_domain(); drivers/pci/remove.c pci_remove_root_bus()
 */
export function vmdRemove(w: World, dev: DevId): Outcome<void> {
  const st = w.platform.vmd[dev];
  if (!st) return okVoid(w);
  let out = w;
  const warnings: string[] = [];
  for (const c of st.children) {
    const cd = out.devices[c];
    if (!cd || cd.released || !cd.present) continue;
    const r = deviceUnregister(out, c);
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    if (r.kind !== 'ok') warnings.push(r.why);
    out = r.world;
  }
  if (st.domain !== null) {
    const fwnode = out.domains[st.domain]?.fwnode;
    const r = irqDomainRemove(out, st.domain);
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    if (r.kind !== 'ok') warnings.push(r.why);
    const f = freeDomainFwnode(r.world, fwnode);
    if (f.kind !== 'ok') return f;
    out = f.world;
  }
  out = putPlatform(out, { vmd: recDel(out.platform.vmd, dev) });
  return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
}

/** a child's message to VMD index @index lands on the VMD's own MSI-X interrupt (vmd_irq()) */
export function vmdVectorVirq(w: World, msg: Extract<MsiMsg, { format: 'vmd' }>): Virq | null {
  return w.platform.vmd[msg.vmd]?.lists[msg.index]?.virq ?? null;
}

/** the VMD controllers of the configuration that are present and unbound (vmd_probe candidates) */
export const vmdControllers = (w: World): DevId[] =>
  w.config.vmd
    ? Object.values(w.devices)
        .filter((d) => !d.released && vmdConfigOf(w, d.id) !== null)
        .map((d) => d.id)
    : [];

export { VMD_DRIVER };

/** the chained handler: a message to a VMD MSI-X entry raises the VMD's own interrupt (vmd_irq()) */
export const vmdChainedVirq = (w: World, msg: MsiMsg): Virq | null =>
  msg.format === 'vmd' ? vmdVectorVirq(w, msg) : null;

/** 5.10 vmd_irq_set_affinity() on a VMD top level: "stubbed", -EINVAL */
export const vmdIrqSetAffinity = (w: World, virq: Virq, _lvl: number, _dest: readonly CpuId[]): Outcome<void> =>
  err(w, 'EINVAL', `irq ${virq}: VMD child interrupts cannot be moved`);

/** below an MSI level: MSI_FLAG_NO_AFFINITY, the VMD chip has no irq_set_affinity */
export const vmdParentSetAffinity = (w: World, virq: Virq, _lvl: number, _dest: readonly CpuId[]): Outcome<void> =>
  err(w, 'EINVAL', `irq ${virq}: a VMD child interrupt has no affinity of its own`);
