/*
 * properties/invariants/leak.ts - resource conservation (spec I1-I5, I7)
 * Every virq, vector, reservation, IRTE and msi_desc has exactly the owner the bookkeeping says.
 */
import { irLevels, vectorChip } from './levels.ts';
import { irqValues, domainName } from '../../models/world/world.ts';
import type { MsiMsg } from '../../models/world/types.ts';
import type { StateInvariant } from '../invariant.ts';
import { imsAllocatedSlots } from '../../models/drivers/dma/idxd/ims-slots.ts';

const irqList = irqValues;
const hex = (v: number) => `0x${v.toString(16)}`;

/** I1 */
export const virqOwnership: StateInvariant = {
  id: 'virq-ownership',
  category: 'leak',
  spec: 'I1',
  scope: 'state',
  reads: ['irqs', 'descs', 'coreAllocs', 'devices', 'platform', 'units', 'lineIrqs'],
  statement:
    'every allocated virq has exactly one live owner (an msi_desc, a direct caller, an I/O APIC pin, a DMAR unit for its fault interrupt, or a hwirq mapping some driver holds) and every owner holds exactly its virqs',
  kernel: 'kernel/irq/irqdesc.c __irq_alloc_descs(), kernel/irq/msi.c irq_set_msi_desc_off()',
  check(w) {
    if (w.irqs[0]) return 'virq 0 is allocated (0 is the invalid irq)';
    for (const d of irqList(w)) {
      const o = d.owner;
      if (!o) return `irq ${d.virq} has no owner`;
      if (o.kind === 'msi') {
        const desc = w.descs[o.desc];
        if (!desc) return `irq ${d.virq} belongs to msi_desc #${o.desc}, which was freed: the virq leaked`;
        if (d.virq < desc.irq || d.virq >= desc.irq + desc.nvecUsed) {
          return `irq ${d.virq} belongs to msi_desc #${o.desc} of ${w.devices[desc.dev]?.name}, which now names irq ${desc.irq || 'none'}`;
        }
      } else if (o.kind === 'ioapic') {
        // arch/x86/kernel/apic/io_apic.c mp_map_pin_to_irq(): the pin's mapping holds the irq
        const m = w.platform.ioapics[o.ioapic]?.pinIrq[o.pin];
        if (!m || m.virq !== d.virq)
          return `irq ${d.virq} belongs to pin ${o.pin} of IOAPIC[${o.ioapic}], which no longer maps it: the virq leaked`;
      } else if (o.kind === 'dmar') {
        // intel_iommu::irq: the unit is there and names this irq
        const u = w.units[o.unit];
        if (!u?.present || u.faultIrq !== d.virq)
          return `irq ${d.virq} is the fault interrupt of ${u?.name ?? `unit ${o.unit}`}, which no longer holds it: the virq leaked`;
      } else if (o.kind === 'mapping') {
        // irq_create_fwspec_mapping(): the virq stays until the last user disposes of it
        if (!Object.values(w.lineIrqs).includes(d.virq))
          return `irq ${d.virq} maps hwirq ${o.hwirq} and no driver holds it any more: the virq leaked`;
      } else {
        const a = w.coreAllocs[o.alloc];
        if (!a || d.virq < a.base || d.virq >= a.base + a.count)
          return `irq ${d.virq} was allocated directly and its caller no longer holds it: the virq leaked`;
      }
    }
    for (const desc of Object.values(w.descs)) {
      for (let i = 0; i < desc.nvecUsed && desc.irq !== 0; i++) {
        const d = w.irqs[desc.irq + i];
        if (d?.owner?.kind !== 'msi' || d.owner.desc !== desc.id) {
          return `msi_desc #${desc.id} of ${w.devices[desc.dev]?.name ?? `device #${desc.dev}`} (index ${desc.msiIndex}) names irq ${desc.irq + i}, which ${d ? 'belongs to someone else' : 'is not allocated'}`;
        }
      }
    }
    for (const io of w.platform.ioapics) {
      for (const [pin, m] of Object.entries(io.pinIrq)) {
        const d = w.irqs[m.virq];
        if (d?.owner?.kind !== 'ioapic' || d.owner.ioapic !== io.index || d.owner.pin !== Number(pin)) {
          return `pin ${pin} of IOAPIC[${io.index}] maps irq ${m.virq}, which ${d ? 'belongs to someone else' : 'was freed behind its back'}`;
        }
      }
    }
    for (const [dev, virq] of Object.entries(w.lineIrqs)) {
      const d = w.irqs[virq];
      if (d?.owner?.kind !== 'mapping')
        return `the driver of ${w.devices[Number(dev)]?.name ?? `device #${dev}`} holds irq ${virq} of its interrupt line, which ${d ? 'now belongs to someone else' : 'was freed behind its back'}`;
    }
    for (const a of Object.values(w.coreAllocs)) {
      for (let i = 0; i < a.count; i++) {
        const d = w.irqs[a.base + i];
        if (d?.owner?.kind !== 'core' || d.owner.alloc !== a.id) {
          return `${a.client} holds irq ${a.base + i}, which ${d ? 'now belongs to someone else' : 'was freed behind its back'}`;
        }
      }
    }
    return null;
  },
};

/** I2 */
export const vectorAccounting: StateInvariant = {
  id: 'vector-accounting',
  category: 'leak',
  spec: 'I2',
  scope: 'state',
  reads: ['matrix', 'irqs'],
  statement:
    'the vector matrix counters match its bitmaps: allocated, managed, available per CPU, global available, reserved and total',
  kernel: 'kernel/irq/matrix.c irq_matrix_alloc()/irq_matrix_free()/irq_matrix_reserve()',
  check(w) {
    const m = w.matrix;
    let sumAvail = 0;
    let sumAlloc = 0;
    let reserved = 0;
    for (const d of irqList(w)) if (vectorChip(d)?.hasReserved) reserved++;
    for (let c = 0; c < m.maps.length; c++) {
      const cm = m.maps[c]!;
      const sys = cm.allocMap.find((b) => m.systemMap.includes(b));
      if (sys !== undefined) return `CPU${c}: system vector ${hex(sys)} is in the allocation map`;
      if (cm.allocated !== cm.allocMap.length)
        return `CPU${c}: allocated=${cm.allocated} but ${cm.allocMap.length} vectors are set in alloc_map`;
      if (cm.managed !== cm.managedMap.length)
        return `CPU${c}: managed=${cm.managed} but ${cm.managedMap.length} bits are set in managed_map`;
      const nonManagedBits = cm.allocMap.filter((b) => !cm.managedMap.includes(b)).length;
      if (cm.allocated - cm.managedAllocated !== nonManagedBits) {
        return `CPU${c}: ${cm.allocated - cm.managedAllocated} non-managed vectors counted, ${nonManagedBits} in alloc_map`;
      }
      const expect = m.allocSize - m.systembitsInalloc - cm.managed - nonManagedBits;
      if (cm.available !== expect)
        return `CPU${c}: available=${cm.available}, expected ${expect} (window ${m.allocSize}, managed ${cm.managed}, allocated ${nonManagedBits})`;
      if (cm.online) sumAvail += cm.available;
      sumAlloc += cm.allocated;
    }
    if (m.globalAvailable !== sumAvail) return `global_available=${m.globalAvailable}, online CPUs have ${sumAvail}`;
    if (m.totalAllocated !== sumAlloc + m.offlineFrees)
      return `total_allocated=${m.totalAllocated}, CPUs hold ${sumAlloc} (+${m.offlineFrees} freed while offline)`;
    if (m.globalReserved !== reserved)
      return `global_reserved=${m.globalReserved}, but ${reserved} irqs hold a reservation`;
    return null;
  },
};

/** I3 */
export const noVectorLeak: StateInvariant = {
  id: 'no-vector-leak',
  category: 'leak',
  spec: 'I3',
  scope: 'state',
  reads: ['matrix', 'irqs', 'cpuOnline'],
  statement:
    'every allocated CPU vector is the current or previous vector of a live irq, and every vector an irq names is allocated to it',
  kernel: 'arch/x86/kernel/apic/vector.c clear_irq_vector(), apic_update_vector(), free_moved_vector()',
  check(w) {
    const owned = new Map<string, number>();
    for (const d of irqList(w)) {
      const c = vectorChip(d);
      if (!c) continue;
      for (const [cpu, vec] of [
        [c.cpu, c.vector],
        [c.prevCpu, c.prevVector],
      ] as const) {
        if (vec === 0) continue;
        const key = `${cpu}:${vec}`;
        if (owned.has(key)) return `vector ${hex(vec)} on CPU${cpu} is held by irq ${owned.get(key)} and irq ${d.virq}`;
        owned.set(key, d.virq);
        if (!w.matrix.maps[cpu]!.allocMap.includes(vec))
          return `irq ${d.virq} uses vector ${hex(vec)} on CPU${cpu}, which the matrix has free`;
        if (w.matrix.vectorIrq[cpu]![vec] !== d.virq)
          return `vector_irq[${hex(vec)}] on CPU${cpu} does not point at irq ${d.virq}`;
      }
    }
    for (let cpu = 0; cpu < w.matrix.maps.length; cpu++) {
      for (const vec of w.matrix.maps[cpu]!.allocMap) {
        if (!owned.has(`${cpu}:${vec}`))
          return `vector ${hex(vec)} on CPU${cpu} is allocated but no irq owns it: leaked`;
      }
      // a dead CPU's table is rebuilt by lapic_online(): stale entries there are harmless
      if (!w.cpuOnline[cpu]) continue;
      for (const [vec, virq] of Object.entries(w.matrix.vectorIrq[cpu]!)) {
        if (owned.get(`${cpu}:${vec}`) !== virq)
          return `vector_irq[${hex(Number(vec))}] on CPU${cpu} still points at irq ${virq}, which no longer owns it`;
      }
    }
    return null;
  },
};

/** I4 */
export const managedReservation: StateInvariant = {
  id: 'managed-reservation',
  category: 'leak',
  spec: 'I4',
  scope: 'state',
  reads: ['matrix', 'irqs'],
  statement:
    'on every possible CPU, online or not, the managed reservations equal the number of live managed irqs whose mask contains it',
  kernel: 'kernel/irq/matrix.c irq_matrix_reserve_managed()/irq_matrix_remove_managed()',
  check(w) {
    const want = w.matrix.maps.map(() => 0);
    for (const d of irqList(w)) {
      if (!d.managed || !vectorChip(d)?.isManaged) continue;
      for (const c of d.affinity) want[c]!++;
    }
    for (let c = 0; c < want.length; c++) {
      if (w.matrix.maps[c]!.managed !== want[c])
        return `CPU${c}: ${w.matrix.maps[c]!.managed} managed reservations, ${want[c]} managed irqs include it`;
    }
    return null;
  },
};

/** I5 */
export const irteAccounting: StateInvariant = {
  id: 'irte-accounting',
  category: 'leak',
  spec: 'I5',
  scope: 'state',
  reads: ['units', 'irqs', 'domains'],
  statement:
    "each IR unit's IRTE bitmap is the disjoint union of aligned power-of-two blocks of live IR allocations in that unit, and an IRTE is present exactly when its level is programmed",
  kernel: 'drivers/iommu/intel/irq_remapping.c alloc_irte(), clear_entries(), intel_irq_remapping_(de)activate()',
  check(w) {
    // one pass over the irqs, bucketed by unit
    type Block = { mask: number; subs: Set<number>; virq: number };
    const perUnit = w.units.map(() => ({ blocks: new Map<number, Block>(), programmed: new Set<number>() }));
    for (const d of irqList(w)) {
      for (const l of irLevels(d)) {
        const c = l.chip;
        const u = w.units[c.unit]!;
        const dom = w.domains[l.domain];
        if (dom && dom.unit !== u.id)
          return `irq ${d.virq}: IR level of ${dom.name} holds IRTE ${c.irteIndex} of ${u.name}`;
        const { blocks, programmed } = perUnit[c.unit]!;
        const b = blocks.get(c.irteIndex) ?? { mask: c.irteMask, subs: new Set<number>(), virq: d.virq };
        if (b.mask !== c.irteMask) return `${u.name}: IRTE block ${c.irteIndex} has two sizes`;
        if (b.subs.has(c.subHandle)) return `${u.name}: IRTE ${c.irteIndex}+${c.subHandle} held twice`;
        b.subs.add(c.subHandle);
        blocks.set(c.irteIndex, b);
        if (l.programmed) programmed.add(c.irteIndex + c.subHandle);
      }
    }
    for (const u of w.units) {
      const { blocks, programmed } = perUnit[u.id]!;
      const covered = new Set<number>();
      for (const [index, b] of blocks) {
        const size = 1 << b.mask;
        if (index % size !== 0) return `${u.name}: IRTE block at ${index} of size ${size} is not aligned`;
        if (b.mask > u.maxHandleMask) return `${u.name}: IRTE block of 2^${b.mask} exceeds the handle mask`;
        for (let i = index; i < index + size; i++) {
          if (covered.has(i)) return `${u.name}: IRTE blocks overlap at ${i}`;
          covered.add(i);
          if (!u.irteBitmap.includes(i))
            return `${u.name}: irq ${b.virq} uses IRTE ${i}, which the bitmap has free (block released under it)`;
        }
      }
      for (const i of u.irteBitmap)
        if (!covered.has(i)) return `${u.name}: IRTE ${i} is allocated but no live irq owns it: leaked`;
      for (const [i, e] of Object.entries(u.irtes)) {
        if (e.present && !programmed.has(Number(i)))
          return `${u.name}: IRTE ${i} is present but no live irq has it programmed`;
      }
      for (const i of programmed) if (!u.irtes[i]?.present) return `${u.name}: IRTE ${i} is programmed but not present`;
    }
    return null;
  },
};

/** I7 */
export const msiDescLifetime: StateInvariant = {
  id: 'msi-desc-lifetime',
  category: 'leak',
  spec: 'I7',
  scope: 'state',
  reads: ['descs', 'devices', 'platformDevids', 'profile'],
  statement:
    "every msi_desc is reachable from its device's msi_list or index store, names a live device, and platform-MSI devids match the devices that hold them",
  kernel: 'kernel/irq/msi.c msi_free_msi_descs_range(), msi_device_data_release(); drivers/base/platform-msi.c',
  check(w) {
    for (const desc of Object.values(w.descs)) {
      const dev = w.devices[desc.dev];
      if (!dev || dev.released) return `msi_desc #${desc.id} (index ${desc.msiIndex}) outlives its device #${desc.dev}`;
      const reachable =
        w.profile.version === '5.10'
          ? dev.msiList.includes(desc.id)
          : dev.msiData?.stores[desc.domid][desc.msiIndex] === desc.id;
      if (!reachable)
        return `msi_desc #${desc.id} of ${dev.name} (index ${desc.msiIndex}${desc.irq ? `, irq ${desc.irq}` : ''}) is no longer reachable from the device: leaked`;
    }
    for (const dev of Object.values(w.devices)) {
      for (const id of dev.msiList) if (!w.descs[id]) return `${dev.name}: msi_list names freed msi_desc #${id}`;
      for (const store of dev.msiData?.stores ?? []) {
        for (const [idx, id] of Object.entries(store))
          if (!w.descs[id]) return `${dev.name}: index ${idx} names freed msi_desc #${id}`;
      }
    }
    const held = Object.values(w.devices)
      .flatMap((d) => [d.platformDevid, d.msiData?.platformDevid ?? null])
      .filter((x): x is number => x !== null);
    for (const id of w.platformDevids)
      if (!held.includes(id)) return `platform-MSI devid ${id} is allocated but no device holds it: leaked`;
    for (const id of held)
      if (!w.platformDevids.includes(id)) return `a device holds platform-MSI devid ${id}, which the IDA has free`;
    return null;
  },
};

/** named fwnodes live exactly as long as their domain (spec section 1.1, fwnode row) */
export const fwnodeOwnership: StateInvariant = {
  id: 'fwnode-ownership',
  category: 'leak',
  spec: '§1.1',
  scope: 'state',
  reads: ['domains', 'fwnodes'],
  statement:
    'every allocated named fwnode is held by exactly one live irq domain, and every live domain on a named fwnode holds an allocated one',
  kernel:
    'kernel/irq/irqdomain.c irq_domain_alloc_named_fwnode()/irq_domain_free_fwnode(); the creator frees it after irq_domain_remove()',
  check(w) {
    const holder = new Map<number, string>();
    for (const d of Object.values(w.domains)) {
      if (d.fwnode === undefined) continue;
      if (w.fwnodes[d.fwnode] === undefined) return `${d.name} holds fwnode #${d.fwnode}, which was freed`;
      if (holder.has(d.fwnode)) return `fwnode #${d.fwnode} is held by ${holder.get(d.fwnode)} and ${d.name}`;
      holder.set(d.fwnode, d.name);
    }
    for (const [f, name] of Object.entries(w.fwnodes))
      if (!holder.has(Number(f))) return `fwnode #${f} "${name}" is allocated but no live domain holds it: leaked`;
    return null;
  },
};

/** I6 */
export const imsSlots: StateInvariant = {
  id: 'ims-slots',
  category: 'leak',
  spec: 'I6',
  scope: 'state',
  reads: ['dsa', 'devices', 'mdevs', 'irqs', 'domains'],
  statement:
    "a PF's allocated IMS slots are the ones its live owners reference, within the IMS size, one owner each; a slot nobody owns holds a zero message and no PASID",
  kernel:
    'kernel/irq/msi.c msi_domain_alloc_irq_at() (6.2 secondary store); RFC idxd mdev.c sbitmap; 2021 irq-ims-msi.c slot bitmap; vidxd_free_ims_entries()',
  check(w) {
    for (const pf of Object.values(w.dsa)) {
      const dev = w.devices[pf.dev];
      if (!dev) continue;
      const allocated = imsAllocatedSlots(w, pf.dev);
      for (const slot of allocated)
        if (slot >= pf.caps.imsSize)
          return `${dev.name}: IMS slot ${slot} allocated beyond the IMS size ${pf.caps.imsSize}`;
      const owners = new Map<number, number>();
      for (const m of Object.values(w.mdevs)) {
        if (m.pf !== pf.dev) continue;
        for (const slot of m.imsIndex) {
          if (owners.has(slot))
            return `${dev.name}: IMS slot ${slot} is owned by mdev${owners.get(slot)} and mdev${m.id}`;
          owners.set(slot, m.id);
          if (!allocated.has(slot)) return `mdev${m.id} uses IMS slot ${slot} of ${dev.name}, which is not allocated`;
        }
      }
      for (const [slot, e] of pf.ims.entries()) {
        if (allocated.has(slot)) continue;
        if (e.msg !== null)
          return `${dev.name}: free IMS slot ${slot} still holds a message (to IRTE ${e.msg.format === 'remappable' ? e.msg.index : '-'})`;
        if (e.pasidEn) return `${dev.name}: free IMS slot ${slot} still has PASID ${e.pasid} enabled`;
      }
    }
    return null;
  },
};

/**
 * Host interrupt descriptors (Hyper-V PCI): each tran_int_desc the host returned is held by the
 * chip_data of the live interrupt it was composed for, and every chip_data names a live one - as
 * IRTEs are held by their irqs. A descriptor no irq holds can never be deleted (leak); a chip_data
 * naming a freed one is a dangling pointer.
 */
export const hostIntDescAccounting: StateInvariant = {
  id: 'host-int-desc-accounting',
  category: 'leak',
  spec: 'I4',
  scope: 'state',
  reads: ['irqs', 'platform'],
  statement:
    'every host interrupt descriptor is held by the chip_data of the live irq it was made for, and every chip_data names a live descriptor',
  kernel:
    'drivers/pci/controller/pci-hyperv.c hv_compose_msi_msg() (data->chip_data = int_desc), hv_msi_free(), hv_int_desc_free()',
  check(w) {
    const descs = w.platform.hvIntDescs;
    const held = new Set<number>();
    for (const d of irqList(w)) {
      for (const l of d.levels) {
        if (l.chip?.kind !== 'msi' || l.chip.intDesc === undefined) continue;
        const id = l.chip.intDesc;
        if (descs[id] === undefined) return `irq ${d.virq} holds host interrupt descriptor #${id}, which was freed`;
        if (descs[id] !== d.virq || held.has(id))
          return `host interrupt descriptor #${id} of irq ${descs[id]} is held by irq ${d.virq}`;
        held.add(id);
      }
    }
    for (const [id, virq] of Object.entries(descs)) {
      if (!held.has(Number(id)))
        return `host interrupt descriptor #${id} (made for irq ${virq}) is held by no live irq: it leaked`;
    }
    return null;
  },
};

/** GIC-ITS event ids (the per-device lpi_map): allocated exactly for the live interrupts mapped through them */
export const itsEventAccounting: StateInvariant = {
  id: 'its-event-accounting',
  category: 'leak',
  spec: '§ITS',
  scope: 'state',
  reads: ['irqs', 'platform'],
  statement:
    "an ITS-like MSI parent's per-device event ids lie inside the device's ITT, and are allocated exactly for the live interrupts mapped through that device state, one interrupt each",
  kernel:
    'drivers/irqchip/irq-gic-v3-its.c its_alloc_device_irq() (bitmap_find_free_region on lpi_map), its_irq_domain_free() (bitmap_release_region)',
  check(w) {
    const its = w.platform.its;
    if (!its) return null;
    const name = (dev: number) => w.devices[dev]?.name ?? `device #${dev}`;
    const used = new Map<string, number>();
    for (const d of irqList(w)) {
      for (const l of d.levels) {
        if (l.chip?.kind !== 'its') continue;
        const c = l.chip;
        const state = its.devices[c.itsDev];
        if (!state)
          return `irq ${d.virq} is mapped to event ${c.event} of the its_device of ${name(c.itsDev)}, which was freed`;
        if (!state.events.includes(c.event))
          return `irq ${d.virq} is mapped to event ${c.event} of ${name(c.itsDev)}, which its lpi_map has free`;
        const key = `${c.itsDev}:${c.event}`;
        if (used.has(key))
          return `event ${c.event} of ${name(c.itsDev)} is mapped by irq ${used.get(key)} and irq ${d.virq}`;
        used.set(key, d.virq);
      }
    }
    for (const s of Object.values(its.devices)) {
      for (const e of s.events) {
        if (e < 0 || e >= s.nrEvents) return `${name(s.dev)}: event ${e} is allocated outside its ITT of ${s.nrEvents}`;
        if (!used.has(`${s.dev}:${e}`))
          return `${name(s.dev)}: event ${e} is allocated but no live interrupt is mapped to it: leaked`;
      }
    }
    return null;
  },
};

/** the message the device of @d was given (its top level's), if one is written */
function deviceMessage(d: { levels: readonly { chip: unknown }[] }): MsiMsg | null {
  const c = d.levels[0]?.chip as { kind: string; msg?: MsiMsg | null } | null;
  return c && (c.kind === 'msi' || c.kind === 'vmd') ? (c.msg ?? null) : null;
}

/**
 * A CPU vector is allocated to an irq for its interrupts to arrive on: the message its device
 * was given must lead there (directly, or through the IRTE it names). A vector held by an irq
 * whose message goes elsewhere (another irq's vector, a demultiplexer's table) is never used:
 * its level should not be in the irq's chain.
 */
export const vectorDelivery: StateInvariant = {
  id: 'vector-delivery',
  category: 'leak',
  spec: '§1.4',
  scope: 'state',
  reads: ['irqs', 'units', 'platform'],
  statement:
    'a CPU vector held by an irq is where its interrupts are delivered: the message its device was given leads there, directly or through its IRTE',
  kernel:
    'kernel/irq/chip.c irq_chip_compose_msi_msg() (the first chip of the chain that composes the message decides the target); arch/x86/kernel/apic/vector.c x86_vector_msi_compose_msg(); drivers/iommu/intel/irq_remapping.c intel_ir_compose_msi_msg(); drivers/pci/controller/vmd.c vmd_compose_msi_msg()',
  check(w) {
    for (const d of irqList(w)) {
      const c = vectorChip(d);
      if (!c || c.vector === 0) continue;
      const msg = deviceMessage(d);
      if (!msg) continue;
      const held = `irq ${d.virq} holds vector ${hex(c.vector)} on CPU${c.cpu}`;
      if (msg.format === 'direct') {
        if (msg.vector !== c.vector || msg.cpu !== c.cpu)
          return `${held}, but its device's message targets ${hex(msg.vector)} on CPU${msg.cpu}`;
      } else if (msg.format === 'remappable') {
        const e = w.units[msg.unit]?.irtes[msg.index + msg.sub];
        if (e?.present && (e.vector !== c.vector || e.destCpu !== c.cpu))
          return `${held}, but IRTE ${msg.index + msg.sub} of its message targets ${hex(e.vector)} on CPU${e.destCpu}`;
      } else if (msg.format === 'vmd') {
        const via = w.platform.vmd[msg.vmd]?.lists[msg.index]?.virq;
        return `${held}, but its device's message goes to VMD MSI-X entry ${msg.index}${via === undefined ? '' : ` (irq ${via})`}: the vector is never used`;
      }
    }
    return null;
  },
};

/**
 * Per-level chip data a level's alloc allocated (VMD's struct vmd_irq) belongs to that level:
 * it lives exactly as long as the level, and the level's free frees it, once.
 */
export const chipDataOwnership: StateInvariant = {
  id: 'chip-data-ownership',
  category: 'leak',
  spec: '§1.2',
  scope: 'state',
  reads: ['irqs', 'platform', 'domains', 'domainNames'],
  statement:
    "every per-level chip data object (VMD's vmd_irq) is held by exactly one live irq level, the one of its own irq in its own domain, and every level holding one holds a live one",
  kernel:
    'drivers/pci/controller/vmd.c vmd_msi_alloc()/vmd_msi_free() (irq_domain_get_irq_data(domain, virq)->chip_data, d5c647b08ee0); kernel/irq/irqdomain.c irq_domain_free_irqs_hierarchy()',
  check(w) {
    const held = new Map<number, number>();
    for (const d of irqList(w)) {
      for (const l of d.levels) {
        if (l.chip?.kind !== 'vmd') continue;
        const obj = w.platform.vmdIrqs[l.chip.obj];
        if (!obj)
          return `irq ${d.virq}: its ${domainName(w, l.domain)} level holds vmd_irq #${l.chip.obj}, which was freed`;
        if (held.has(obj.id)) return `vmd_irq #${obj.id} is held by irq ${held.get(obj.id)} and irq ${d.virq}`;
        held.set(obj.id, d.virq);
        if (obj.virq !== d.virq) return `irq ${d.virq} holds vmd_irq #${obj.id} of irq ${obj.virq}`;
      }
    }
    for (const obj of Object.values(w.platform.vmdIrqs)) {
      if (!held.has(obj.id))
        return `vmd_irq #${obj.id} (irq ${obj.virq}) is allocated but no live irq level holds it: leaked`;
    }
    return null;
  },
};

export const leakInvariants = [
  virqOwnership,
  vectorAccounting,
  noVectorLeak,
  managedReservation,
  irteAccounting,
  imsSlots,
  msiDescLifetime,
  fwnodeOwnership,
  hostIntDescAccounting,
  itsEventAccounting,
  vectorDelivery,
  chipDataOwnership,
];
