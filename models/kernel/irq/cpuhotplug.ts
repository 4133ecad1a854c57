/*
 * models/kernel/irq/cpuhotplug.ts - CPU offline and online for interrupts
 * (kernel/irq/cpuhotplug.c, arch/x86/kernel/apic/vector.c lapic_can_unplug_cpu/lapic_online)
 *
 * Offline: refuse if the other CPUs cannot take this CPU's vectors; then every irq is visited:
 * pending moves from or to this CPU are force-completed; only started irqs targeting the CPU migrate (managed ones
 * with no other CPU in their mask shut down; others break affinity to all online CPUs, with the
 * retry on -ENOSPC of 88d724e2301a); finally the CPU's matrix goes offline with its bits kept.
 * Online: the matrix comes back; managed irqs in shutdown whose mask has the CPU restart.
 */
import type { CpuId, VectorChipData, World } from '../../world/types.ts';
import { noArg } from './hierarchy.ts';
import { bug, err, okVoid, type Outcome } from '../../world/outcome.ts';
import {
  irqMatrixAllocated,
  irqMatrixAvailableWithout,
  irqMatrixOffline,
  irqMatrixOnline,
  isMatrixBug,
} from './matrix.ts';
import { irqDomainActivateIrq, irqDomainDeactivateIrq } from './irqdomain.ts';
import { archIrqHooks } from './registry.ts';
import { irqDoSetAffinity } from './manage.ts';
import { arrSet, intersect } from '../../world/util.ts';
import { onlineCpus, putIrq, updIrq } from '../../world/world.ts';
import { hasFault, hasQuirk, matrixAllocatedExcludesManaged } from '../../world/profile.ts';

/**
 * cpuOffline() - take @cpu down
 * Kernel: arch/x86/kernel/smpboot.c native_cpu_disable(), vector.c lapic_can_unplug_cpu(),
 *         kernel/irq/cpuhotplug.c irq_migrate_all_off_this_cpu(), migrate_one_irq()
 */
export function cpuOffline(w: World, cpu: CpuId): Outcome<void> {
  if (!w.cpuOnline[cpu]) return okVoid(w);
  if (onlineCpus(w).length === 1) return err(w, 'EBUSY', `CPU${cpu} is the last online CPU`);
  const tomove = irqMatrixAllocated(w.matrix, cpu, matrixAllocatedExcludesManaged(w.profile));
  const avl = irqMatrixAvailableWithout(w.matrix, cpu);
  if (avl < tomove) return err(w, 'ENOSPC', `CPU ${cpu} has ${tomove} vectors, ${avl} available. Cannot disable CPU`);
  let out: World = { ...w, cpuOnline: arrSet(w.cpuOnline, cpu, false) };
  const virqs = Object.keys(out.irqs)
    .map(Number)
    .sort((a, b) => a - b);
  for (const virq of virqs) {
    const d0 = out.irqs[virq]!;
    if (d0.levels.some((l) => !out.domains[l.domain])) continue; // chip torn down: nothing to do
    const lvl = d0.levels.length - 1;
    const c = d0.levels[lvl]!.chip as VectorChipData | null;
    // a demultiplexed chain (VMD child) or one cut short has no CPU target of its own; a GIC-ITS
    // root migrates like a vector
    if (!c || (c.kind !== 'vector' && c.kind !== 'its')) continue;
    // irq_force_complete_move(): called for every visited irq since a6c11c0a5235, and acting
    // only on a pending prev_vector whose current or previous CPU is the outgoing one; before
    // that fix it was called only after irq_needs_fixup(), i.e. for started irqs whose effective
    // mask has the dying CPU. An unrelated pending move stays pending (set_affinity: -EBUSY).
    const needsFixup = d0.started && d0.effective.includes(cpu);
    const involved = c.kind === 'vector' && c.prevVector !== 0 && (c.cpu === cpu || c.prevCpu === cpu);
    const preFix = c.kind === 'vector' && c.prevVector !== 0 && needsFixup;
    if (hasFault(w.profile, 'B01') ? preFix : involved) out = archIrqHooks().irqForceCompleteMove(out, virq, lvl);
    const d = out.irqs[virq]!;
    if (!d.started || !d.effective.includes(cpu)) {
      // irq_fixup_move_pending(desc, false)
      if (d.pendingAffinity && intersect(d.pendingAffinity, onlineCpus(out)).length === 0)
        out = putIrq(out, { ...d, pendingAffinity: null });
      continue;
    }
    let affinity = d.affinity;
    if (d.pendingAffinity && intersect(d.pendingAffinity, onlineCpus(out)).length > 0) affinity = d.pendingAffinity;
    out = updIrq(out, virq, (x) => ({ ...x, pendingAffinity: null }));
    let broke = false;
    if (intersect(affinity, onlineCpus(out)).length === 0) {
      if (d.managed) {
        out = updIrq(out, virq, (x) => ({ ...x, managedShutdown: true, started: false }));
        out = irqDomainDeactivateIrq(out, virq).world;
        continue;
      }
      affinity = onlineCpus(out);
      broke = true;
    }
    let r = irqDoSetAffinity(out, virq, affinity);
    // the kernel's test is "affinity != cpu_online_mask": not retried if that mask was used already.
    // B35: before 88d724e2301a "genirq/cpuhotplug: Retry with cpu_online_mask when migration
    // fails" there was no retry: the irq stayed on the dying CPU
    if (r.kind === 'err' && r.errno === 'ENOSPC' && !d.managed && !broke && !hasFault(w.profile, 'B35')) {
      affinity = onlineCpus(out);
      broke = true;
      r = irqDoSetAffinity(out, virq, affinity);
    }
    if (r.kind === 'ok') {
      out = r.world;
      if (broke) out = updIrq(out, virq, (x) => ({ ...x, affinityBroken: true }));
    } else if (r.kind === 'bug' || r.kind === 'use-after-free') {
      return r;
    } // else: pr_warn "set affinity failed", the irq stays where it was
  }
  return okVoid({ ...out, matrix: irqMatrixOffline(out.matrix, cpu) });
}

/**
 * cpuOnline() - bring @cpu up; restart managed irqs in shutdown whose mask contains it
 * Kernel: vector.c lapic_online(), kernel/irq/cpuhotplug.c irq_affinity_online_cpu()
 */
export function cpuOnline(w: World, cpu: CpuId): Outcome<void> {
  if (w.cpuOnline[cpu]) return okVoid(w);
  const m = irqMatrixOnline(w.matrix, cpu, hasFault(w.profile, 'B02'));
  if (isMatrixBug(m)) return bug(w, `BUG_ON(cm->online) in ${m.bug}: CPU${cpu}`);
  let out: World = { ...w, cpuOnline: arrSet(w.cpuOnline, cpu, true), matrix: m };
  // lapic_online(): every non-legacy vector_irq entry is cleared; without the quirk the entries
  // of dormant irqs that still hold a vector here are kept
  const table = out.matrix.vectorIrq[cpu]!;
  const kept: Record<number, number> = {};
  if (!hasQuirk(w.profile, 'lapic-online-clears-vector-irq')) {
    for (const [vec, virq] of Object.entries(table))
      if (out.matrix.maps[cpu]!.allocMap.includes(Number(vec))) kept[Number(vec)] = virq;
  }
  out = { ...out, matrix: { ...out.matrix, vectorIrq: arrSet(out.matrix.vectorIrq, cpu, kept) } };
  const virqs = Object.keys(out.irqs)
    .map(Number)
    .sort((a, b) => a - b);
  for (const virq of virqs) {
    const d = out.irqs[virq]!;
    if (!d.managed || !d.action || !d.managedShutdown || !d.affinity.includes(cpu)) continue;
    if (d.levels.some((l) => !out.domains[l.domain])) continue;
    const a = irqDomainActivateIrq(
      updIrq(out, virq, (x) => ({ ...x, managedShutdown: false })),
      virq,
      false,
      noArg,
    );
    if (a.kind === 'ok') out = updIrq(a.world, virq, (x) => ({ ...x, started: true }));
  }
  return okVoid(out);
}
