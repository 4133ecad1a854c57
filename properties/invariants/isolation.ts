/*
 * properties/invariants/isolation.ts - an interrupt reaches only its owner, through the right
 * remapping unit, with source checks on (spec I12, I18-I20)
 */
import { irLevels } from './levels.ts';
import type { StateInvariant } from '../invariant.ts';
import type { IoApic, World } from '../../models/world/types.ts';
import { unitForIoapicId } from '../../models/drivers/iommu/ir-select.ts';
import { pciMsiHwirq } from '../../models/drivers/pci/segment.ts';
import { unitForDevice, irqValues } from '../../models/world/world.ts';
import { VIDXD_MAX_MSIX_VECS } from '../../models/drivers/dma/idxd/types.ts';

/** the PCI function that emits an MSI write for a device: itself, or an mdev's parent PF */
function emitter(w: World, dev: number): number | null {
  const d = w.devices[dev];
  if (!d) return null;
  if (d.bus === 'pci') return d.id;
  if (d.bus === 'mdev' && d.parent !== null) return d.parent;
  return null;
}

/** the device whose msi_desc owns @virq */
function ownerDevice(w: World, virq: number): number | null {
  const o = w.irqs[virq]?.owner;
  if (o?.kind !== 'msi') return null;
  return w.descs[o.desc]?.dev ?? null;
}

/** the I/O APIC whose pin owns @virq (mp_map_pin_to_irq()) */
function ownerIoapic(w: World, virq: number): IoApic | null {
  const o = w.irqs[virq]?.owner;
  return o?.kind === 'ioapic' ? (w.platform.ioapics[o.ioapic] ?? null) : null;
}

/** I12 */
export const correctIrUnit: StateInvariant = {
  id: 'correct-ir-unit',
  category: 'isolation',
  spec: 'I12',
  scope: 'state',
  reads: ['irqs', 'descs', 'devices', 'units', 'platform'],
  statement:
    'an interrupt remapped by an IR unit uses the unit whose scope covers its source: the PCI function that emits the MSI write (the PF for mdev and IMS vectors), or the I/O APIC by its APIC id',
  kernel:
    'drivers/iommu/intel/dmar.c dmar_find_matched_drhd_unit(); irq_remapping.c intel_irq_remap_add_device(), map_ioapic_to_iommu()',
  check(w) {
    for (const v of irqValues(w)) {
      const io = ownerIoapic(w, v.virq);
      if (io) {
        // an I/O APIC's interrupts: the unit whose IOAPIC scope lists its APIC id
        // (intel_irq_remapping_select()/map_ioapic_to_iommu(); AMD: the IVRS entry's IOMMU)
        const want = unitForIoapicId(w, io.id);
        for (const { chip: c } of irLevels(v)) {
          if (want === null)
            return `irq ${v.virq} of IOAPIC[${io.index}] (id ${io.id}) is remapped by ${w.units[c.unit]!.name}, but no unit lists that I/O APIC`;
          if (c.unit !== want)
            return `irq ${v.virq} of IOAPIC[${io.index}] (id ${io.id}) has its IRTE in ${w.units[c.unit]!.name}, but that I/O APIC is behind ${w.units[want]!.name}`;
        }
        continue;
      }
      const owner = ownerDevice(w, v.virq);
      if (owner === null) continue;
      const pci = emitter(w, owner);
      if (pci === null) continue;
      const name = w.devices[owner]!.name;
      const want = unitForDevice(w, pci);
      for (const { chip: c } of irLevels(v)) {
        if (want === null)
          return `irq ${v.virq} of ${name} is remapped by ${w.units[c.unit]!.name}, but no unit covers the device`;
        if (c.unit !== want)
          return `irq ${v.virq} of ${name} has its IRTE in ${w.units[c.unit]!.name}, but ${w.devices[pci]!.name} is behind ${w.units[want]!.name}`;
      }
    }
    return null;
  },
};

/** I12, the unit side */
export const irUnitEnabled: StateInvariant = {
  id: 'ir-unit-enabled',
  category: 'isolation',
  spec: 'I12',
  scope: 'state',
  reads: ['irqs', 'units', 'domains'],
  statement:
    "an interrupt's remapping level belongs to a unit that is present and has interrupt remapping enabled: a unit that is off (never enabled, turned off by its init checks, or removed) is not a parent to allocate through",
  kernel:
    'drivers/iommu/amd/iommu.c irq_remapping_select() (amd_iommu_irq_remap); drivers/iommu/intel/irq_remapping.c dmar_ir_hotplug() (-EBUSY with IRTEs allocated)',
  check(w) {
    for (const v of irqValues(w)) {
      for (const l of v.levels) {
        if (l.chip?.kind !== 'ir' && l.chip?.kind !== 'hv-ir') continue;
        const u = w.units[l.chip.unit];
        if (!u?.present || !u.irEnabled)
          return `irq ${v.virq} is remapped through ${w.domains[l.domain]?.name ?? 'a removed domain'} of ${u?.name ?? `unit #${l.chip.unit}`}, whose interrupt remapping is ${u?.present ? 'disabled' : 'gone'}`;
      }
    }
    return null;
  },
};

/** I18 */
export const irteSourceId: StateInvariant = {
  id: 'irte-source-id',
  category: 'isolation',
  spec: 'I18',
  scope: 'state',
  reads: ['irqs', 'units', 'descs', 'devices', 'platform'],
  statement:
    'every present IRTE verifies its source (SVT != 0) and its SID is the requester id of the PCI function that owns it (the PF for IMS), or of the I/O APIC whose pin owns it',
  kernel: 'drivers/iommu/intel/irq_remapping.c set_msi_sid(), set_ioapic_sid(), intel_irq_remapping_prepare_irte()',
  check(w) {
    for (const v of irqValues(w)) {
      for (const { chip: c } of irLevels(v)) {
        const irte = w.units[c.unit]?.irtes[c.irteIndex + c.subHandle];
        if (!irte?.present) continue;
        const where = `IRTE ${c.irteIndex + c.subHandle} of ${w.units[c.unit]!.name} (irq ${v.virq})`;
        if (irte.svt === 0) return `${where} is present with SVT=0: no source-id verification`;
        const io = ownerIoapic(w, v.virq);
        if (io && irte.sid !== io.sid)
          return `${where} has SID 0x${irte.sid.toString(16)}, but IOAPIC[${io.index}] (id ${io.id}) is 0x${io.sid.toString(16)}`;
        const owner = ownerDevice(w, v.virq);
        const pci = owner === null ? null : emitter(w, owner);
        const rid = pci === null ? null : w.devices[pci]!.rid;
        if (rid !== null && irte.sid !== rid)
          return `${where} has SID 0x${irte.sid.toString(16)}, but ${w.devices[pci!]!.name} is 0x${rid.toString(16)}`;
      }
    }
    return null;
  },
};

/** I19 */
export const imsPasidPerMdev: StateInvariant = {
  id: 'ims-pasid-per-mdev',
  category: 'isolation',
  spec: 'I19',
  scope: 'state',
  reads: ['mdevs', 'dsa', 'devices'],
  statement:
    "an open mdev's guest vectors 1.. each map to one IMS slot of its own, tagged with PASID enable and the mdev's PASID; no slot serves two mdevs",
  kernel: 'RFC drivers/dma/idxd/vdev.c vidxd_enable_host_ims_pasid(), ims.c vidxd_setup_ims_entries()',
  check(w) {
    const used = new Map<string, number>();
    for (const m of Object.values(w.mdevs)) {
      const pf = w.dsa[m.pf];
      if (!m.open) {
        if (m.imsIndex.length) return `mdev${m.id} is closed but still holds IMS slot(s) ${m.imsIndex.join(', ')}`;
        continue;
      }
      if (m.imsIndex.length !== VIDXD_MAX_MSIX_VECS - 1)
        return `mdev${m.id} is open with ${m.imsIndex.length} IMS-backed vectors, not ${VIDXD_MAX_MSIX_VECS - 1}`;
      for (const slot of m.imsIndex) {
        const key = `${m.pf}:${slot}`;
        if (used.has(key))
          return `IMS slot ${slot} of ${w.devices[m.pf]?.name} serves mdev${used.get(key)} and mdev${m.id}`;
        used.set(key, m.id);
        const e = pf?.ims[slot];
        if (!e) return `mdev${m.id} maps a guest vector to IMS slot ${slot}, beyond the table`;
        if (!e.pasidEn || e.pasid !== m.pasid) {
          return `IMS slot ${slot} of ${w.devices[m.pf]?.name} (mdev${m.id}) has ${e.pasidEn ? `PASID ${e.pasid}` : 'PASID enable off'}, not PASID ${m.pasid}: other PASIDs can raise it`;
        }
      }
    }
    return null;
  },
};

/** I20 */
export const dsaMsixLayout: StateInvariant = {
  id: 'dsa-msix-layout',
  category: 'isolation',
  spec: 'I20',
  scope: 'state',
  reads: ['dsa', 'devices', 'irqs', 'profile'],
  statement:
    'a DSA PF uses MSI-X indexes within its table, vector 0 for misc, (5.17+) vector w+1 only for kernel WQ w; its permission entry w+1 carries the system PASID while that vector is requested (5.17+; no table on 5.10) and is zero otherwise',
  kernel:
    'drivers/dma/idxd/init.c idxd_setup_interrupts(), device.c idxd_msix_perm_setup()/idxd_msix_perm_clear(), idxd_wq_request_irq()',
  check(w) {
    for (const pf of Object.values(w.dsa)) {
      const dev = w.devices[pf.dev];
      if (!dev) continue;
      if (!pf.driver.probed) {
        const i = pf.msixPerm.findIndex((p) => p.pasidEn || p.pasid !== 0 || p.ignore);
        if (i >= 0)
          return `${dev.name} is not probed but MSI-X permission entry ${i} still carries PASID ${pf.msixPerm[i]!.pasid}`;
        continue;
      }
      if (pf.driver.vectors.length > dev.msixTableSize)
        return `${dev.name} uses ${pf.driver.vectors.length} MSI-X vectors, table has ${dev.msixTableSize}`;
      const misc = w.irqs[pf.driver.vectors[0]!];
      if (!misc?.action) return `${dev.name}: MSI-X vector 0 (misc/error) has no handler`;
      // 5.10: no permission table; 5.17+: entry w+1 carries the system PASID exactly while kernel
      // WQ w has its interrupt (idxd_wq_request_irq()/idxd_wq_free_irq()), when the device has PASID
      for (let i = 1; i < pf.msixPerm.length; i++) {
        const p = pf.msixPerm[i]!;
        const set = w.profile.version !== '5.10' && pf.caps.pasid && (pf.wqs[i - 1]?.irqRequested ?? false);
        const ok = set ? p.pasidEn && p.pasid === pf.systemPasid : !p.pasidEn && p.pasid === 0 && !p.ignore;
        if (!ok)
          return `${dev.name}: MSI-X permission entry ${i} is {pasid_en ${p.pasidEn}, pasid ${p.pasid}}, expected ${set ? `the system PASID ${pf.systemPasid}` : 'zero'}`;
      }
      if (w.profile.version !== '5.10') {
        for (let i = 1; i < pf.driver.vectors.length; i++) {
          const q = pf.wqs[i - 1];
          const requested = !!w.irqs[pf.driver.vectors[i]!]?.action;
          const owned = !!q && q.enabled && q.type === 'kernel';
          if (requested && !owned)
            return `${dev.name}: MSI-X vector ${i} is requested but wq${i - 1} is not an enabled kernel WQ`;
          if (owned && !requested) return `${dev.name}: kernel wq${i - 1} is enabled without its vector ${i}`;
        }
      }
    }
    return null;
  },
};

/**
 * I9 (hwirq part) for the shared PCI/MSI domains (5.10 global PCI-MSI, INTEL-IR-MSI-<n>): the
 * domain tells its interrupt sources apart by hwirq alone, so the hwirqs it computes for two bound
 * PCI functions (each index of their MSI/MSI-X tables) never coincide; otherwise one function's
 * interrupts are refused (msi_domain_alloc(): -EEXIST) or shadow the other's in the revmap.
 */
export const msiHwirqDistinct: StateInvariant = {
  id: 'msi-hwirq-distinct',
  category: 'isolation',
  spec: 'I9',
  scope: 'state',
  reads: ['devices', 'domains', 'defaultPciMsiDomain', 'profile'],
  statement:
    'in a shared PCI/MSI domain the hwirqs of different PCI functions are distinct: a hwirq names one interrupt source',
  kernel:
    'drivers/pci/msi/irqdomain.c pci_msi_domain_calc_hwirq(); kernel/irq/msi.c msi_domain_alloc() (-EEXIST); kernel/irq/irqdomain.c irq_domain_set_mapping()',
  check(w) {
    const byDomain = new Map<number, { name: string; lo: number; hi: number }[]>();
    for (const d of Object.values(w.devices)) {
      // the functions that can allocate: bound to a driver
      if (d.bus !== 'pci' || !d.present || d.released || d.driver === null) continue;
      const domId = d.msiDomain ?? (w.profile.version === '5.10' ? w.defaultPciMsiDomain : null);
      const dom = domId === null ? undefined : w.domains[domId];
      if (!dom || dom.msiDevice || dom.msiInfo?.chip !== 'pci-msi') continue;
      const entries = Math.max(d.msixTableSize, d.msiVectors);
      if (entries === 0) continue;
      const list = byDomain.get(dom.id) ?? [];
      const mine = { name: d.name, lo: pciMsiHwirq(w, d, 0), hi: pciMsiHwirq(w, d, entries - 1) };
      const other = list.find((x) => x.lo <= mine.hi && mine.lo <= x.hi);
      if (other)
        return `${dom.name} gives ${other.name} and ${d.name} the same hwirqs (0x${Math.max(other.lo, mine.lo).toString(16)}...)`;
      byDomain.set(dom.id, [...list, mine]);
    }
    return null;
  },
};

export const isolationInvariants = [
  correctIrUnit,
  irUnitEnabled,
  irteSourceId,
  imsPasidPerMdev,
  dsaMsixLayout,
  msiHwirqDistinct,
];
