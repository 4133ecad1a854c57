/*
 * models/arch/x86/vector.ts - the x86 vector domain, root of every hierarchy
 * (arch/x86/kernel/apic/vector.c)
 *
 * Modelled: the three allocation classes (managed, reserved, fixed mask), reservation mode and
 * the dummy MANAGED_IRQ_SHUTDOWN_VECTOR, activation/deactivation, moves with prev_vector and their
 * cleanup, per-CPU vector_irq. Left out: legacy ISA vectors, NUMA nodes (one node), the cleanup
 * IPI as a separate event (the cleanup runs at once when it is scheduled).
 * Simplification, not proven verdict-neutral: the kernel's assign_vector_locked() answers -EBUSY
 * while a cleanup is queued (apicd->clist hashed, until the cleanup IPI/timer runs on the old
 * CPU), and irq_move_masked_irq() then re-arms the pending move; here the window never opens, so a
 * failure that needs it (a move refused after the first interrupt on the new vector) is not found.
 */
import type { ChipData, CpuId, IrqDesc, MsiMsg, VectorChipData, Virq, World } from '../../world/types.ts';
import type { AllocArg, DomainOps } from '../../kernel/irq/hierarchy.ts';
import { failsAt } from '../../kernel/irq/hierarchy.ts';
import { bug, err, okVoid, warned, type Outcome } from '../../world/outcome.ts';
import {
  irqMatrixAlloc,
  irqMatrixAllocManaged,
  irqMatrixFreeW,
  irqMatrixRemoveManagedW,
  type MatrixWarned,
  irqMatrixRemoveReserved,
  irqMatrixReserve,
  irqMatrixReserveManaged,
} from '../../kernel/irq/matrix.ts';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../../world/platform.ts';
import { hasFault, hasQuirk } from '../../world/profile.ts';
import { levelOf, onlineCpus, putIrq, putLevel, updIrq } from '../../world/world.ts';
import { arrSet, intersect, recDel, recPut } from '../../world/util.ts';

const chipOf = (w: World, virq: Virq, lvl: number): VectorChipData => levelOf(w, virq, lvl).chip as VectorChipData;
const putChip = (w: World, virq: Virq, lvl: number, c: VectorChipData): World => {
  const l = levelOf(w, virq, lvl);
  return putLevel(w, virq, lvl, { ...l, chip: c });
};

const blankApicData: VectorChipData = {
  kind: 'vector',
  vector: 0,
  cpu: 0,
  prevVector: 0,
  prevCpu: 0,
  moveInProgress: false,
  isManaged: false,
  canReserve: false,
  hasReserved: false,
  cfgVector: 0,
  cfgCpu: 0,
};

function setVectorIrq(w: World, cpu: CpuId, vector: number, virq: Virq | null): World {
  const table = w.matrix.vectorIrq[cpu]!;
  const next = virq === null ? recDel(table, vector) : recPut(table, vector, virq);
  return { ...w, matrix: { ...w.matrix, vectorIrq: arrSet(w.matrix.vectorIrq, cpu, next) } };
}

/** a matrix call's result in the world; its WARN_ON_ONCE()s go to the ghost kernelWarn (step() reports them) */
function withMatrix(w: World, r: MatrixWarned): World {
  const out: World = { ...w, matrix: r.m };
  if (!r.warned.length) return out;
  return { ...out, kernelWarn: [...w.kernelWarn, ...r.warned.map((f) => `WARN_ON_ONCE in ${f}`)] };
}

/** irq_matrix_free() of @vector on @cpu */
const matrixFree = (w: World, cpu: CpuId, vector: number, managed: boolean): World =>
  withMatrix(w, irqMatrixFreeW(w.matrix, cpu, vector, managed, w.profile.version));

/** apic_update_irq_cfg(): what the hardware is told, and the effective affinity */
function apicUpdateIrqCfg(w: World, virq: Virq, lvl: number, vector: number, cpu: CpuId): World {
  const d = w.irqs[virq]!;
  const l = d.levels[lvl]!;
  const chip: VectorChipData = { ...(l.chip as VectorChipData), cfgVector: vector, cfgCpu: cpu };
  return putIrq(w, { ...d, effective: [cpu], levels: arrSet(d.levels, lvl, { ...l, chip }) });
}

/** vector_assign_managed_shutdown(): point at the dummy vector on the first online CPU */
function vectorAssignManagedShutdown(w: World, virq: Virq, lvl: number): World {
  const first = onlineCpus(w)[0] ?? 0;
  return apicUpdateIrqCfg(w, virq, lvl, MANAGED_IRQ_SHUTDOWN_VECTOR, first);
}

/**
 * apicUpdateVector() - make @newvec on @newcpu the interrupt's vector
 * The old vector becomes prev_vector (freed by the cleanup after the first interrupt on the new
 * target) unless its CPU is offline, then it is freed at once. A vector_irq slot that is already
 * taken is the kernel's BUG_ON.
 * Kernel: arch/x86/kernel/apic/vector.c apic_update_vector()
 */
function apicUpdateVector(w: World, virq: Virq, lvl: number, newvec: number, newcpu: CpuId): Outcome<void> {
  let c = chipOf(w, virq, lvl);
  let out = w;
  const managed = w.irqs[virq]!.managed;
  if (c.vector !== 0 && c.vector !== MANAGED_IRQ_SHUTDOWN_VECTOR) {
    if (w.cpuOnline[c.cpu]) {
      c = { ...c, moveInProgress: true, prevVector: c.vector, prevCpu: c.cpu };
    } else {
      out = matrixFree(out, c.cpu, c.vector, managed);
    }
  }
  const owner = out.matrix.vectorIrq[newcpu]![newvec];
  if (owner !== undefined) {
    return bug(
      w,
      `BUG_ON in apic_update_vector: vector 0x${newvec.toString(16)} on CPU${newcpu} already belongs to irq ${owner}`,
    );
  }
  c = { ...c, vector: newvec, cpu: newcpu };
  out = putChip(out, virq, lvl, c);
  return okVoid(setVectorIrq(out, newcpu, newvec, virq));
}

/** assign_vector_locked(): keep the vector if its CPU is still allowed, else allocate anew */
function assignVectorLocked(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  const c = chipOf(w, virq, lvl);
  if (c.vector !== 0 && w.cpuOnline[c.cpu] && dest.includes(c.cpu)) {
    // the kernel returns without touching hw_irq_cfg or the effective mask
    if (hasQuirk(w.profile, 'activate-keeps-stale-effective-affinity')) return okVoid(w);
    return okVoid(updIrq(w, virq, (d) => ({ ...d, effective: [c.cfgCpu] })));
  }
  // a pending move or cleanup must finish first, else a stale vector would be left behind
  if (c.moveInProgress) return err(w, 'EBUSY', `irq ${virq}: move in progress`);
  const r = irqMatrixAlloc(w.matrix, dest, c.hasReserved);
  if (!r) return err(w, 'ENOSPC', `irq ${virq}: no free vector on CPUs {${dest.join(',')}}`);
  const u = apicUpdateVector({ ...w, matrix: r.m }, virq, lvl, r.vector, r.cpu);
  if (u.kind !== 'ok') return u;
  return okVoid(apicUpdateIrqCfg(u.world, virq, lvl, r.vector, r.cpu));
}

/**
 * assign_irq_vector_any_locked(): affinity ∩ online first, then any online CPU. Landing outside
 * the affinity is the kernel breaking it (vector space exhaustion); the model records that.
 */
function assignIrqVectorAnyLocked(w: World, virq: Virq, lvl: number): Outcome<void> {
  const online = onlineCpus(w);
  const first = assignVectorLocked(w, virq, lvl, intersect(w.irqs[virq]!.affinity, online));
  if (first.kind === 'ok') return first;
  const second = assignVectorLocked(w, virq, lvl, online);
  if (second.kind !== 'ok') return second;
  const c = chipOf(second.world, virq, lvl);
  const d = second.world.irqs[virq]!;
  return d.affinity.includes(c.cfgCpu) ? second : okVoid(putIrq(second.world, { ...d, affinityBroken: true }));
}

/** assign_managed_vector(): take one of the managed reservations inside @dest ∩ affinity */
function assignManagedVector(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  const c = chipOf(w, virq, lvl);
  const search = intersect(dest, w.irqs[virq]!.affinity);
  if (c.vector !== 0 && search.includes(c.cpu)) return okVoid(w);
  const r = irqMatrixAllocManaged(w.matrix, search);
  if (!r) return err(w, 'ENOSPC', `managed irq ${virq}: no reserved vector on CPUs {${search.join(',')}}`);
  const u = apicUpdateVector({ ...w, matrix: r.m }, virq, lvl, r.vector, r.cpu);
  if (u.kind !== 'ok') return u;
  return okVoid(apicUpdateIrqCfg(u.world, virq, lvl, r.vector, r.cpu));
}

/** reserve_irq_vector_locked(): a global reservation only, hardware pointed at the dummy vector */
function reserveIrqVectorLocked(w: World, virq: Virq, lvl: number): World {
  const c = chipOf(w, virq, lvl);
  let out: World = { ...w, matrix: irqMatrixReserve(w.matrix) };
  out = putChip(out, virq, lvl, { ...c, canReserve: true, hasReserved: true });
  out = updIrq(out, virq, (d) => ({ ...d, canReserve: true }));
  return vectorAssignManagedShutdown(out, virq, lvl);
}

/** clear_irq_vector(): free the current and a pending previous vector */
export function clearIrqVector(w: World, virq: Virq, lvl: number): World {
  const c = chipOf(w, virq, lvl);
  if (c.vector === 0) return w;
  const managed = w.irqs[virq]!.managed;
  let out = setVectorIrq(w, c.cpu, c.vector, null);
  out = matrixFree(out, c.cpu, c.vector, managed);
  let next: VectorChipData = { ...c, vector: 0 };
  if (c.prevVector !== 0) {
    out = setVectorIrq(out, c.prevCpu, c.prevVector, null);
    out = matrixFree(out, c.prevCpu, c.prevVector, managed);
    next = { ...next, prevVector: 0, moveInProgress: false };
  }
  return putChip(out, virq, lvl, next);
}

/**
 * vectorFreeMovedVector() - release prev_vector after a move
 * Runs from the cleanup after the first interrupt on the new target, from the IR set_affinity
 * path at once, and from irq_force_complete_move() on CPU offline. On an offline previous CPU
 * the vector is freed too (fix a6c11c0a5235).
 * Kernel: arch/x86/kernel/apic/vector.c free_moved_vector(), __send_cleanup_vector()
 */
export function vectorFreeMovedVector(w: World, virq: Virq, lvl: number): World {
  const c = chipOf(w, virq, lvl);
  if (c.prevVector === 0) return c.moveInProgress ? putChip(w, virq, lvl, { ...c, moveInProgress: false }) : w;
  // B01: before a6c11c0a5235 __vector_schedule_cleanup() only zeroed prev_vector of an offline CPU
  if (!w.cpuOnline[c.prevCpu] && hasFault(w.profile, 'B01'))
    return putChip(w, virq, lvl, { ...c, prevVector: 0, moveInProgress: false });
  let out = setVectorIrq(w, c.prevCpu, c.prevVector, null);
  out = matrixFree(out, c.prevCpu, c.prevVector, w.irqs[virq]!.managed);
  return putChip(out, virq, lvl, { ...c, prevVector: 0, moveInProgress: false });
}

/** apic_set_affinity(): move to @dest ∩ online (managed: within the reservations) */
export function apicSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  const d = w.irqs[virq]!;
  if (!d.activated) return warned(w, `apic_set_affinity: irq ${virq} not activated`, 'EIO');
  const search = intersect(dest, onlineCpus(w));
  return d.managed ? assignManagedVector(w, virq, lvl, search) : assignVectorLocked(w, virq, lvl, search);
}

/**
 * x86VectorAlloc() - per virq: chip data, hwirq = virq, then the allocation policy
 * managed: a managed bit on every CPU of the affinity; info->mask: a real vector now;
 * otherwise only a global reservation (never fails) and the dummy vector.
 * Kernel: arch/x86/kernel/apic/vector.c x86_vector_alloc_irqs(), assign_irq_vector_policy()
 */
function x86VectorAlloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  let out = w;
  for (let i = 0; i < n; i++) {
    const v = virq + i;
    const fail = (errno: 'ENOMEM' | 'ENOSPC', why: string) => err(x86VectorFree(out, lvl, virq, i), errno, why);
    if (failsAt(arg, 'vector', arg.virqOffset + i))
      return fail('ENOMEM', `injected: alloc_apic_chip_data for irq ${v}`);
    out = putLevel(out, v, lvl, { ...levelOf(out, v, lvl), hwirq: v, chip: blankApicData });
    const desc = out.irqs[v]!;
    if (desc.managed) {
      const r = irqMatrixReserveManaged(
        out.matrix,
        desc.affinity,
        hasQuirk(out.profile, 'matrix-offline-managed-available'),
      );
      // a failed reservation is rolled back by the kernel in r.m (the bits it keeps may differ)
      out = putChip({ ...out, matrix: r.m }, v, lvl, { ...chipOf(out, v, lvl), isManaged: true });
      if (r.failed) {
        out = putLevel(out, v, lvl, { ...levelOf(out, v, lvl), chip: null });
        return fail('ENOSPC', `irq ${v}: no managed vector on some CPU of {${desc.affinity.join(',')}}`);
      }
    } else if (arg.fixedMask) {
      const r = assignVectorLocked(out, v, lvl, intersect(arg.fixedMask, onlineCpus(out)));
      if (r.kind !== 'ok') {
        out = putLevel(out, v, lvl, { ...levelOf(out, v, lvl), chip: null });
        return r.kind === 'err' ? fail('ENOSPC', r.why) : r;
      }
      out = r.world;
    } else {
      out = reserveIrqVectorLocked(out, v, lvl);
    }
  }
  return okVoid(out);
}

/** x86_vector_free_irqs(): clear vectors, drop the reservation and managed reservations */
function x86VectorFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const v = virq + i;
    const l = out.irqs[v]?.levels[lvl];
    if (!l?.chip) continue;
    out = clearIrqVector(out, v, lvl);
    const c = chipOf(out, v, lvl);
    if (c.hasReserved) out = { ...out, matrix: irqMatrixRemoveReserved(out.matrix) };
    if (c.isManaged)
      out = withMatrix(
        out,
        irqMatrixRemoveManagedW(
          out.matrix,
          out.irqs[v]!.affinity,
          hasQuirk(out.profile, 'matrix-offline-managed-available'),
        ),
      );
    out = putLevel(out, v, lvl, { ...l, chip: null, programmed: false });
  }
  return out;
}

/** activate_reserved(): a real vector now; the reservation is consumed */
function activateReserved(w: World, virq: Virq, lvl: number): Outcome<void> {
  const r = assignIrqVectorAnyLocked(w, virq, lvl);
  if (r.kind !== 'ok') return r;
  let out = r.world;
  const desc: IrqDesc = out.irqs[virq]!;
  // core may have disabled reservation mode after allocation: the vector is then fixed
  // (a target outside the affinity was recorded above: pr_warn "Affinity broken ...")
  out = putChip(out, virq, lvl, { ...chipOf(out, virq, lvl), hasReserved: false, canReserve: desc.canReserve });
  return okVoid(out);
}

/** activate_managed(): a managed vector on an online CPU of the affinity */
function activateManaged(w: World, virq: Virq, lvl: number): Outcome<void> {
  const search = intersect(w.irqs[virq]!.affinity, onlineCpus(w));
  if (search.length === 0) return warned(w, `Managed startup for irq ${virq}, but no CPU`, 'EINVAL');
  const r = assignManagedVector(w, virq, lvl, search);
  if (r.kind === 'err') return warned(w, `Managed startup irq ${virq}, no vector available`, r.errno);
  return r;
}

/**
 * x86VectorActivate() - pick the vector the hardware will use
 * fixed: (re)assign a real vector; reserve or managed-shutdown: the dummy vector;
 * managed: a reserved managed bit; reserved: a real vector searched affinity then online.
 * Kernel: arch/x86/kernel/apic/vector.c x86_vector_activate()
 */
function x86VectorActivate(w: World, lvl: number, virq: Virq, reserve: boolean, arg: AllocArg): Outcome<void> {
  const c = chipOf(w, virq, lvl);
  const d = w.irqs[virq]!;
  const mark = (o: Outcome<void>): Outcome<void> =>
    o.kind === 'ok' ? okVoid(putLevel(o.world, virq, lvl, { ...levelOf(o.world, virq, lvl), programmed: true })) : o;
  if (!reserve && failsAt(arg, 'activate', arg.virqOffset))
    return err(w, 'ENOSPC', `injected: vector activation of irq ${virq}`);
  if (!c.canReserve && !c.isManaged) {
    const r = assignIrqVectorAnyLocked(w, virq, lvl);
    // the kernel ignores the result: with no free vector on any online CPU, an irq whose vector
    // is on a CPU that went offline while it was dormant keeps it (quirk); the contract is a
    // clean failure
    const stale = c.vector !== 0 && !w.cpuOnline[c.cpu];
    if (r.kind === 'err' && stale && !hasQuirk(w.profile, 'activate-ignores-vector-exhaustion')) return r;
    return mark(r.kind === 'bug' ? r : okVoid(r.kind === 'ok' ? r.world : w));
  }
  if (reserve || (d.managed && d.managedShutdown)) return mark(okVoid(vectorAssignManagedShutdown(w, virq, lvl)));
  if (c.isManaged) return mark(activateManaged(w, virq, lvl));
  if (c.hasReserved) return mark(activateReserved(w, virq, lvl));
  return mark(okVoid(w));
}

/**
 * x86VectorDeactivate() - fixed vectors stay until free; reservable ones go back to a
 * reservation; managed ones free the vector and point at the dummy vector.
 * Kernel: arch/x86/kernel/apic/vector.c x86_vector_deactivate()
 */
function x86VectorDeactivate(w: World, lvl: number, virq: Virq): World {
  const c = chipOf(w, virq, lvl);
  const unprogram = (o: World): World => putLevel(o, virq, lvl, { ...levelOf(o, virq, lvl), programmed: false });
  if (!c.isManaged && !c.canReserve) return unprogram(w);
  if (c.hasReserved) return unprogram(w);
  let out = clearIrqVector(w, virq, lvl);
  out = c.canReserve ? reserveIrqVectorLocked(out, virq, lvl) : vectorAssignManagedShutdown(out, virq, lvl);
  return unprogram(out);
}

/** x86_vector_msi_compose_msg(): the vector and destination the hardware was told (hw_irq_cfg) */
export function x86VectorComposeMsiMsg(_w: World, below: ChipData): MsiMsg {
  const v = below as VectorChipData;
  return { format: 'direct', vector: v.cfgVector, cpu: v.cfgCpu };
}

export const vectorDomainOps: DomainOps = {
  alloc: x86VectorAlloc,
  free: x86VectorFree,
  activate: x86VectorActivate,
  deactivate: x86VectorDeactivate,
};
