/*
 * properties/invariants/structure.ts - the shape of the hierarchy (spec I9-I12)
 */
import type { StateInvariant } from '../invariant.ts';
import type { World } from '../../models/world/types.ts';
import { parentChain, domainName, irqValues } from '../../models/world/world.ts';

/** I9 */
export const parentChainInvariant: StateInvariant = {
  id: 'parent-chain',
  category: 'structure',
  spec: 'I9',
  scope: 'state',
  reads: ['irqs', 'domains', 'domainNames', 'platform', 'vectorDomain'],
  statement:
    "every virq's irq_data chain is its top domain's current parent chain ending at a root that delivers it (VECTOR, or a demultiplexing domain such as VMD's), and each level's hwirq is unique in its domain",
  kernel:
    'kernel/irq/irqdomain.c irq_domain_alloc_irq_data(), irq_domain_insert_irq(); kernel/irq/msi.c msi_domain_alloc() (-EEXIST)',
  check(w) {
    const seen = new Map<string, number>();
    const chains = new Map<number, ReturnType<typeof parentChain>>();
    for (const d of irqValues(w)) {
      const top = d.levels[0]!.domain;
      let pc = chains.get(top);
      if (!pc) chains.set(top, (pc = parentChain(w, top)));
      const { chain, dangling } = pc;
      if (dangling !== null) continue; // a freed domain: domain-outlives-users reports it
      const got = d.levels.map((l) => l.domain);
      if (got.length !== chain.length || got.some((x, i) => x !== chain[i])) {
        return `irq ${d.virq}: irq_data chain ${got.map((x) => domainName(w, x)).join(' -> ')} is not the parent chain ${chain.map((x) => w.domains[x]!.name).join(' -> ')}`;
      }
      // the root: the x86 vector domain, the ITS on a GIC platform, or a demultiplexing domain
      // (drivers/pci/controller/vmd.c) that delivers through its device's own vectors
      const root = chain[chain.length - 1]!;
      const rootOk = w.platform.its
        ? root === w.platform.its.domain
        : root === w.vectorDomain || w.domains[root]!.kind === 'vmd';
      if (!rootOk)
        return `irq ${d.virq}: chain ends at ${w.domains[root]!.name}, not ${w.platform.its ? 'ITS' : 'VECTOR'}`;
      for (const l of d.levels) {
        if (!l.chip) return `irq ${d.virq}: level in ${w.domains[l.domain]!.name} was never allocated`;
        const key = `${l.domain}:${l.hwirq}`; // PCI/MSI hwirqs are wider than 32 bits
        const other = seen.get(key);
        if (other !== undefined)
          return `hwirq ${l.hwirq} of ${w.domains[l.domain]!.name} maps both irq ${other} and irq ${d.virq}`;
        seen.set(key, d.virq);
      }
    }
    return null;
  },
};

/** I10 */
export const activationOrder: StateInvariant = {
  id: 'activation-order',
  category: 'structure',
  spec: 'I10',
  scope: 'state',
  reads: ['irqs', 'domains', 'domainNames'],
  statement: 'a level is programmed only if all its parent levels are, and an ACTIVATED irq has every level programmed',
  kernel:
    'kernel/irq/irqdomain.c __irq_domain_activate_irq() (parent first, rollback), __irq_domain_deactivate_irq() (child first)',
  check(w) {
    for (const d of irqValues(w)) {
      for (let i = 0; i < d.levels.length; i++) {
        const l = d.levels[i]!;
        const name = domainName(w, l.domain);
        if (d.activated && !l.programmed) return `irq ${d.virq} is ACTIVATED but its ${name} level is not programmed`;
        const p = d.levels[i + 1];
        if (l.programmed && p && !p.programmed)
          return `irq ${d.virq}: ${name} is programmed while its parent level ${domainName(w, p.domain)} is not`;
      }
    }
    return null;
  },
};

/** the domain an MSI desc must allocate from */
function expectedTop(w: World, devId: number, domid: 0 | 1): number | null {
  const dev = w.devices[devId]!;
  // a platform-MSI device domain (platform_msi_create_device_domain(), e.g. mbigen) allocates the descs of its device
  if (w.platform.its) {
    const pdd = Object.values(w.domains).find((d) => d.kind === 'mbigen' && d.dev === devId);
    if (pdd && domid === 0) return pdd.id;
  }
  const slot = dev.msiData?.domains[domid] ?? null;
  if (slot !== null) return slot;
  return dev.msiDomain ?? (w.profile.version === '5.10' ? w.defaultPciMsiDomain : null);
}

/** I11 */
export const domainWellFormed: StateInvariant = {
  id: 'domain-well-formed',
  category: 'structure',
  spec: 'I11',
  scope: 'state',
  reads: ['devices', 'domains', 'irqs', 'descs', 'defaultPciMsiDomain', 'domainNames', 'platform', 'profile'],
  statement:
    "a device's MSI interrupts come from the domain its API and bus token call for; a 6.2 device domain belongs to its device and sits on the device's MSI parent",
  kernel: 'drivers/base/platform-msi.c platform_msi_alloc_priv_data(); kernel/irq/msi.c msi_create_device_irq_domain()',
  check(w) {
    for (const dev of Object.values(w.devices)) {
      if (dev.released) continue;
      const slots = dev.msiData?.domains ?? [null, null];
      for (const [i, id] of slots.entries()) {
        if (id === null) continue;
        const d = w.domains[id];
        if (!d) continue; // domain-outlives-users reports it
        if (d.dev !== dev.id || !d.msiDevice)
          return `${dev.name}: __domains[${i}] is ${d.name}, which is not its device domain`;
        if (d.parent !== dev.msiDomain)
          return `${dev.name}: device domain ${d.name} sits on ${w.domains[d.parent!]?.name ?? 'a freed domain'}, not on the device's MSI parent`;
        if (i === 1 && d.busToken !== 'PCI_DEVICE_IMS')
          return `${dev.name}: secondary domain ${d.name} is not an IMS domain`;
      }
      const platform = dev.platformDevid !== null || (dev.msiData?.platformDevid ?? null) !== null;
      if (platform) {
        const d = dev.msiDomain === null ? undefined : w.domains[dev.msiDomain];
        if (d && d.busToken !== 'PLATFORM_MSI')
          return `${dev.name} holds platform MSIs but its msi_domain ${d.name} has bus token ${d.busToken}`;
      }
    }
    for (const v of irqValues(w)) {
      if (v.owner?.kind !== 'msi') continue;
      const desc = w.descs[v.owner.desc];
      if (!desc) continue;
      const want = expectedTop(w, desc.dev, desc.domid);
      const top = v.levels[0]!.domain;
      if (!w.domains[top]) continue; // removed: domain-outlives-users reports it
      if (want !== null && w.domains[want] && top !== want) {
        return `irq ${v.virq} of ${w.devices[desc.dev]?.name} was allocated from ${domainName(w, top)}, but the device's domain is ${w.domains[want]!.name}`;
      }
    }
    return null;
  },
};

export const structureInvariants = [parentChainInvariant, activationOrder, domainWellFormed];
