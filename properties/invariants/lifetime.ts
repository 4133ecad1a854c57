/*
 * properties/invariants/lifetime.ts - who may outlive whom (spec I13-I17)
 * The kernel checks almost none of these: no refcounts on domains, raw device pointers.
 */
import { domainName, irqValues } from '../../models/world/world.ts';
import type { StateInvariant, StepInvariant } from '../invariant.ts';
import { match } from 'ts-pattern';
import type { World } from '../../models/world/types.ts';
import type { Op } from '../../models/ops.ts';

/** I13 */
export const domainOutlivesUsers: StateInvariant = {
  id: 'domain-outlives-users',
  category: 'lifetime',
  spec: 'I13',
  scope: 'state',
  reads: ['domains', 'devices', 'irqs', 'defaultPciMsiDomain', 'domainNames', 'designDomains'],
  statement: 'no live domain, device pointer or irq_data level refers to a removed domain',
  kernel:
    'kernel/irq/irqdomain.c irq_domain_remove(): "caller must ensure that all mappings ... have been disposed of"; no refcount',
  check(w) {
    for (const d of Object.values(w.domains)) {
      if (d.parent !== null && !w.domains[d.parent])
        return `${d.name}'s parent ${domainName(w, d.parent)} is gone: dangling parent pointer`;
    }
    for (const dev of Object.values(w.devices)) {
      if (dev.released) continue;
      if (dev.msiDomain !== null && !w.domains[dev.msiDomain])
        return `${dev.name}: dev->msi_domain points at removed domain ${domainName(w, dev.msiDomain)}`;
      for (const id of dev.msiData?.domains ?? [])
        if (id !== null && !w.domains[id])
          return `${dev.name}: msi.data->__domains points at removed domain ${domainName(w, id)}`;
    }
    for (const v of irqValues(w)) {
      const l = v.levels.find((x) => !w.domains[x.domain]);
      if (l) return `irq ${v.virq} still maps through removed domain ${domainName(w, l.domain)}`;
    }
    if (w.defaultPciMsiDomain !== null && !w.domains[w.defaultPciMsiDomain])
      return 'the default PCI-MSI domain was removed';
    // static domain pointers of the code under test (a design's globals, like the one above)
    for (const [name, id] of Object.entries(w.designDomains))
      if (!w.domains[id]) return `${name} points at removed domain ${domainName(w, id)}`;
    return null;
  },
};

/** I14 */
export const deviceOutlivesPointers: StateInvariant = {
  id: 'device-outlives-pointers',
  category: 'lifetime',
  spec: 'I14',
  scope: 'state',
  reads: ['domains', 'descs', 'devices', 'irqs'],
  statement:
    'a device pointer held by a domain, an msi_desc or an installed handler refers to a device that has not been released',
  kernel: 'drivers/base/core.c device_release(); kernel/irq/msi.c msi_desc::dev, irq_domain::dev',
  check(w) {
    const dead = (id: number | null) => id !== null && (!w.devices[id] || w.devices[id]!.released);
    for (const d of Object.values(w.domains)) if (dead(d.dev)) return `${d.name} belongs to released device #${d.dev}`;
    for (const desc of Object.values(w.descs))
      if (dead(desc.dev)) return `msi_desc #${desc.id} points at released device #${desc.dev}`;
    for (const v of irqValues(w))
      if (v.action && dead(v.action.dev))
        return `irq ${v.virq}'s handler has dev_id of released device #${v.action.dev}`;
    return null;
  },
};

/** a devm_request_irq() devres entry whose handler was freed (or replaced) behind devres' back */
function staleDevmIrq(w: World, dev: number): string | null {
  const seen = new Set<number>();
  for (const e of w.devices[dev]?.devres ?? []) {
    if (e.kind !== 'devm-irq') continue;
    const a = w.irqs[e.virq]?.action;
    if (seen.has(e.virq) || !a || !a.devm || a.dev !== dev) {
      return `devres of ${w.devices[dev]!.name} frees irq ${e.virq} again: its devm handler was already freed${a ? ' and the irq requested anew' : ''}`;
    }
    seen.add(e.virq);
  }
  return null;
}

const freeingOps = new Set<Op['type']>([
  'irqDomainFreeIrqs',
  'pciImsFreeIrq',
  'pciMsixFreeIrq',
  'freeIrq',
  'deviceReleaseDriver',
  'deviceUnregister',
]);

/** I15 */
export const noDoubleFree: StepInvariant = {
  id: 'no-double-free',
  category: 'lifetime',
  spec: 'I15',
  scope: 'step',
  statement:
    "a free names only interrupts its caller currently owns (no double free, no freeing another owner's interrupt)",
  kernel:
    'kernel/irq/irqdomain.c irq_domain_free_irqs() (WARN only), kernel/irq/manage.c __free_irq(); pci_ims_free_irq() frees by index',
  check(before, op) {
    // most steps free nothing: leave before any pattern matching (this runs after every step)
    if (!freeingOps.has(op.type) && !(op.type === 'driverProbe' && op.fail)) return null;
    return match(op)
      .with({ type: 'irqDomainFreeIrqs' }, (o) => {
        const mine = Object.values(before.coreAllocs).some(
          (a) => a.client === o.client && a.base === o.virq && a.count === o.n,
        );
        if (mine) return null;
        const holder = before.irqs[o.virq];
        return holder
          ? `${o.client} frees irq ${o.virq}..${o.virq + o.n - 1}, which it does not own (${holder.owner?.kind === 'msi' ? 'an MSI interrupt' : 'another allocation'})`
          : `${o.client} frees irq ${o.virq} twice`;
      })
      .with({ type: 'pciImsFreeIrq' }, { type: 'pciMsixFreeIrq' }, (o) => {
        const domid = o.type === 'pciImsFreeIrq' ? 1 : 0;
        const id = before.devices[o.dev]?.msiData?.stores[domid][o.index];
        const desc = id === undefined ? undefined : before.descs[id];
        if (desc && desc.irq === o.virq) return null;
        return desc
          ? `stale msi_map {index ${o.index}, irq ${o.virq}}: index ${o.index} now belongs to irq ${desc.irq}, which gets freed`
          : `msi_map {index ${o.index}, irq ${o.virq}} freed twice`;
      })
      .with({ type: 'freeIrq' }, (o) =>
        before.irqs[o.virq]?.action ? null : `free_irq(${o.virq}) with no handler installed: double free_irq`,
      )
      .with({ type: 'deviceReleaseDriver' }, { type: 'deviceUnregister' }, { type: 'driverProbe', fail: true }, (o) =>
        staleDevmIrq(before, o.dev),
      )
      .otherwise(() => null);
  },
};

/** I16 */
export const noFreeWithHandler: StateInvariant = {
  id: 'no-free-with-handler',
  category: 'lifetime',
  spec: 'I16',
  scope: 'state',
  reads: ['freedWithAction'],
  statement: 'free_irq() runs before an interrupt is freed: no irq_desc is freed with its handler installed',
  kernel: 'drivers/pci/msi.c free_msi_irqs() BUG_ON(irq_has_action()) (<=5.16); silently leaked irqaction after 5.17',
  check(w) {
    return w.freedWithAction.length
      ? `irq ${w.freedWithAction.join(', ')} freed while a handler was still installed (the irqaction leaks)`
      : null;
  },
};

/** I17 */
export const dmarRemovalClean: StateInvariant = {
  id: 'dmar-removal-clean',
  category: 'lifetime',
  spec: 'I17',
  scope: 'state',
  reads: ['units', 'domains', 'devices'],
  statement: 'a removed DMAR unit leaves no allocated IRTE and no domain or device pointer to its IR domains',
  kernel: 'drivers/iommu/intel/dmar.c dmar_hp_remove_drhd(); irq_remapping.c dmar_ir_hotplug() (-EBUSY only for IRTEs)',
  check(w) {
    for (const u of w.units) {
      if (u.present) continue;
      if (u.irteBitmap.length) return `${u.name} was removed with ${u.irteBitmap.length} IRTEs allocated`;
      const ir = [u.irDomain, u.irMsiDomain].filter((x): x is number => x !== null);
      for (const d of Object.values(w.domains))
        if (d.parent !== null && ir.includes(d.parent))
          return `${d.name} still sits on the IR domain of removed ${u.name}`;
      for (const dev of Object.values(w.devices))
        if (!dev.released && dev.msiDomain !== null && ir.includes(dev.msiDomain))
          return `${dev.name} still points at the IR domain of removed ${u.name}`;
    }
    return null;
  },
};

/** the kernel's own reaction: no BUG() */
export const noKernelBug: StepInvariant = {
  id: 'no-kernel-bug',
  category: 'lifetime',
  spec: '§6',
  scope: 'step',
  statement: 'no operation drives the kernel into BUG()/oops',
  kernel: 'BUG_ON()s the model reproduces, e.g. drivers/pci/msi.c free_msi_irqs(), vector.c apic_update_vector()',
  check: (_b, _op, o) => (o.kind === 'bug' ? o.why : null),
};

/** the kernel's own reaction: no use of freed memory */
export const noUseAfterFree: StepInvariant = {
  id: 'no-use-after-free',
  category: 'lifetime',
  spec: '§6',
  scope: 'step',
  statement: 'no operation dereferences a removed domain or a released device',
  kernel: 'kernel/irq/irqdomain.c irq_domain_remove() leaves parent/msi_domain/irq_data pointers dangling',
  check: (_b, _op, o) => (o.kind === 'use-after-free' ? o.why : null),
};

/** I14, PF teardown order */
export const mdevParentLifetime: StateInvariant = {
  id: 'mdev-parent-lifetime',
  category: 'lifetime',
  spec: 'I14',
  scope: 'state',
  reads: ['mdevs', 'dsa', 'devices'],
  statement:
    'an mdev lives only while its PF is bound to idxd as a registered mdev parent, and the WQ it uses is enabled for mdevs and counts it',
  kernel:
    'drivers/vfio/mdev/mdev_core.c mdev_unregister_device() (before the PF tears down); RFC idxd_vdcm_create()/remove()',
  check(w) {
    const refs = new Map<string, number>();
    for (const m of Object.values(w.mdevs)) {
      const pf = w.dsa[m.pf];
      const pdev = w.devices[m.pf];
      const name = pdev?.name ?? `device #${m.pf}`;
      if (!pf || !pdev || pdev.released || !pf.driver.probed || !pf.driver.mdevParent)
        return `mdev${m.id} outlives its parent ${name} (unbound or gone)`;
      const mine = w.devices[m.dev];
      if (!mine || mine.released) return `mdev${m.id}'s struct device was released while the mdev lives`;
      const q = pf.wqs[m.wq];
      if (!q?.enabled || q.type !== 'mdev')
        return `mdev${m.id} runs on wq${m.wq} of ${name}, which is not an enabled mdev WQ`;
      const key = `${m.pf}:${m.wq}`;
      refs.set(key, (refs.get(key) ?? 0) + 1);
    }
    for (const pf of Object.values(w.dsa)) {
      for (const q of pf.wqs) {
        const n = refs.get(`${pf.dev}:${q.id}`) ?? 0;
        if (q.mdevRefs !== n)
          return `wq${q.id} of ${w.devices[pf.dev]?.name} counts ${q.mdevRefs} mdev users, ${n} mdevs use it`;
        if (q.mode === 'dedicated' && n > 1)
          return `dedicated wq${q.id} of ${w.devices[pf.dev]?.name} backs ${n} mdevs`;
      }
    }
    return null;
  },
};

/** an IR domain's host_data is its unit's intel_iommu: the domain lives exactly while the unit has it set up */
export const irDomainUnit: StateInvariant = {
  id: 'ir-domain-unit',
  category: 'lifetime',
  spec: 'I17',
  scope: 'state',
  reads: ['units', 'domains'],
  statement:
    'a live interrupt-remapping domain belongs to a present DMAR unit that holds it as its IR domain (no IR domain outlives the setup or the removal of its unit)',
  kernel:
    'drivers/iommu/intel/irq_remapping.c intel_setup_irq_remapping() (error unwind), intel_teardown_irq_remapping(); dmar.c free_iommu()',
  check(w) {
    for (const d of Object.values(w.domains)) {
      if (d.kind !== 'ir' || d.unit === null) continue;
      const u = w.units[d.unit];
      if (!u?.present)
        return `${d.name} is still registered, but its DMAR unit ${u?.name ?? `#${d.unit}`} is not present (its host_data is gone)`;
      if (u.irDomain !== d.id)
        return `${d.name} is registered, but ${u.name}'s IR domain is ${domainName(w, u.irDomain)}: leaked`;
    }
    return null;
  },
};

/**
 * the per-device state of an ITS-like MSI parent (its_device) pairs with the device's MSI domain
 * on it: .msi_prepare() once when the domain is created, for the domain's size; .msi_teardown()
 * when it is removed
 */
export const msiParentDeviceState: StateInvariant = {
  id: 'msi-parent-device-state',
  category: 'lifetime',
  spec: '§ITS',
  scope: 'state',
  reads: ['platform', 'domains', 'devices'],
  statement:
    'an ITS-like MSI parent holds per-device state for every device that has a live MSI domain on it, sized for that domain; state of a device with no such domain and no interrupt using it has leaked',
  kernel:
    'kernel/irq/msi.c msi_create_device_irq_domain() (msi_domain_prepare_irqs with hwsize), msi_remove_device_irq_domain() (.msi_teardown); drivers/base/platform-msi.c __platform_msi_create_device_domain(); drivers/irqchip/irq-gic-v3-its.c its_msi_prepare(), its_msi_teardown()',
  check(w) {
    const its = w.platform.its;
    if (!its) return null;
    const onIts = (id: number): boolean => {
      for (let d: number | null = id; d !== null; d = w.domains[d]?.parent ?? null) if (d === its.domain) return true;
      return false;
    };
    const owners = new Set<number>();
    for (const d of Object.values(w.domains)) {
      if (d.dev === null || d.kind === 'its' || !onIts(d.id)) continue;
      const dev = w.devices[d.dev];
      if (!dev || dev.released) continue; // device-outlives-pointers reports it
      owners.add(d.dev);
      const state = its.devices[d.dev];
      if (!state)
        return `${dev.name} has the MSI domain ${d.name} on ${w.domains[its.domain]!.name}, but the parent holds no its_device for it`;
      const size = d.msiInfo?.hwsize ?? 0;
      if (state.nrEvents < size)
        return `the its_device of ${dev.name} has an ITT of ${state.nrEvents} events, but its domain ${d.name} has ${size} interrupts`;
    }
    for (const s of Object.values(its.devices)) {
      if (owners.has(s.dev) || s.events.length > 0) continue;
      return `the its_device of ${w.devices[s.dev]?.name ?? `device #${s.dev}`} outlives every MSI domain of the device on ${w.domains[its.domain]!.name}: leaked`;
    }
    return null;
  },
};

/**
 * GIC-ITS translations (hardware state): the ITT of a device translates an event exactly while
 * an activated interrupt is mapped through it. MAPTI at activation, DISCARD at deactivation
 * (irq-gic-v3-its.c its_irq_domain_activate()/_deactivate()); the core deactivates before it
 * frees (kernel/irq/msi.c msi_domain_free_irqs(), irq_domain_free_irqs() callers), and
 * its_irq_domain_free() sends nothing. A translation with no such interrupt routes a device
 * write to an LPI nobody owns.
 */
export const itsEventTranslation: StateInvariant = {
  id: 'its-event-translation',
  category: 'lifetime',
  spec: '§ITS',
  scope: 'state',
  reads: ['platform', 'irqs', 'devices'],
  statement:
    'an ITS-like MSI parent translates a (device, event) exactly while a live, activated interrupt is mapped through that event',
  kernel:
    'drivers/irqchip/irq-gic-v3-its.c its_irq_domain_activate() (MAPTI), its_irq_domain_deactivate() (DISCARD), its_irq_domain_free(); kernel/irq/msi.c msi_domain_free_irqs() (deactivate before free)',
  check(w) {
    const its = w.platform.its;
    if (!its) return null;
    const name = (dev: number) => w.devices[dev]?.name ?? `device #${dev}`;
    const active = new Map<string, number>();
    for (const v of irqValues(w)) {
      for (const l of v.levels) {
        if (l.chip?.kind !== 'its') continue;
        const key = `${l.chip.itsDev}:${l.chip.event}`;
        if (l.programmed) {
          active.set(key, v.virq);
          if (!(its.devices[l.chip.itsDev]?.mapped ?? []).includes(l.chip.event)) {
            return `irq ${v.virq} is activated through event ${l.chip.event} of ${name(l.chip.itsDev)}, which the ITS does not translate`;
          }
        }
      }
    }
    for (const s of Object.values(its.devices)) {
      for (const e of s.mapped ?? []) {
        if (!active.has(`${s.dev}:${e}`))
          return `the ITS still translates event ${e} of ${name(s.dev)} (LPI ${s.lpiBase + e}), but no activated interrupt is mapped through it: a stale translation`;
      }
    }
    return null;
  },
};

/**
 * GIC-ITS commands: the driver only sends MOVI/DISCARD for an event it has mapped; one that
 * names an unmapped (DeviceID, EventID) is a command error that stalls the ITS queue (GICv3
 * architecture, UNMAPPED_INTERRUPT). Kernel: irq-gic-v3-its.c its_send_movi(), its_send_discard();
 * kernel/irq/manage.c irq_set_affinity_deactivated() keeps affinity changes of a deactivated
 * interrupt away from the ITS (IRQD_AFFINITY_ON_ACTIVATE, set by its_irq_domain_alloc()).
 */
export const itsCommandValid: StateInvariant = {
  id: 'its-command-valid',
  category: 'lifetime',
  spec: '§ITS',
  scope: 'state',
  reads: ['platform'],
  statement: 'no command sent to an ITS-like MSI parent names an event it does not translate (no ITS command error)',
  kernel:
    'drivers/irqchip/irq-gic-v3-its.c its_send_movi(), its_send_discard(); kernel/irq/manage.c irq_set_affinity_deactivated()',
  check(w) {
    return w.platform.its?.cmdError ? `ITS command error: ${w.platform.its.cmdError}` : null;
  },
};

export const lifetimeInvariants = [
  domainOutlivesUsers,
  deviceOutlivesPointers,
  mdevParentLifetime,
  noDoubleFree,
  noFreeWithHandler,
  dmarRemovalClean,
  irDomainUnit,
  noKernelBug,
  noUseAfterFree,
  msiParentDeviceState,
  itsEventTranslation,
  itsCommandValid,
];
