/*
 * properties/invariants/affinity.ts - interrupts target online CPUs they are allowed on
 * (spec I21-I23, with the section 7.2 correction of I23)
 */
import { vectorChip } from './levels.ts';
import { irqValues } from '../../models/world/world.ts';
import type { StateInvariant, StepInvariant } from '../invariant.ts';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../../models/world/platform.ts';

/** I21 */
export const effectiveAffinity: StateInvariant = {
  id: 'effective-affinity',
  category: 'affinity',
  spec: 'I21',
  scope: 'state',
  reads: ['irqs', 'cpuOnline'],
  statement:
    'an activated non-managed irq targets an online CPU of its requested mask, unless the kernel broke the affinity (recorded)',
  kernel:
    'arch/x86/kernel/apic/vector.c assign_irq_vector_any_locked(), activate_reserved() ("Affinity broken"), kernel/irq/cpuhotplug.c migrate_one_irq()',
  check(w) {
    // the target is what the hardware was told (hw_irq_cfg); the kernel's effective mask can
    // still hold a mask stored while deactivated when activation kept the vector
    for (const d of irqValues(w)) {
      if (!d.activated || d.managed) continue;
      const c = vectorChip(d);
      if (!c || c.cfgVector === MANAGED_IRQ_SHUTDOWN_VECTOR) continue;
      if (!w.cpuOnline[c.cfgCpu]) return `irq ${d.virq} targets offline CPU${c.cfgCpu}`;
      if (!d.affinityBroken && !d.affinity.includes(c.cfgCpu)) {
        return `irq ${d.virq} targets CPU${c.cfgCpu} outside its mask {${d.affinity.join(',')}} with no broken-affinity record`;
      }
    }
    return null;
  },
};

/** I22 */
export const managedAffinity: StateInvariant = {
  id: 'managed-affinity',
  category: 'affinity',
  spec: 'I22',
  scope: 'state',
  reads: ['irqs', 'cpuOnline'],
  statement:
    'an activated managed irq has a real vector on an online CPU of its mask; a managed irq in shutdown holds no real vector',
  kernel:
    'kernel/irq/chip.c __irq_startup_managed(), kernel/irq/msi.c msi_init_virq() (d802057c7c55), vector.c activate_managed()',
  check(w) {
    for (const d of irqValues(w)) {
      if (!d.managed) continue;
      const c = vectorChip(d);
      if (!c) {
        // no x86 vector (GIC-ITS): the target the activation chose (its_select_cpu(): the online
        // CPUs of the mask) stays in the mask; a not started irq is left where it is when that
        // CPU goes (migrate_one_irq() skips it), so only the mask is checked here
        const out = d.activated ? d.effective.find((x) => !d.affinity.includes(x)) : undefined;
        if (out !== undefined)
          return `managed irq ${d.virq} targets CPU${out}, outside its mask {${d.affinity.join(',')}}`;
        continue;
      }
      if (d.activated) {
        if (!d.affinity.some((x) => w.cpuOnline[x]))
          return `managed irq ${d.virq} is activated with no online CPU in {${d.affinity.join(',')}}`;
        if (c.cfgVector === MANAGED_IRQ_SHUTDOWN_VECTOR) continue; // reservation-mode dummy
        if (!w.cpuOnline[c.cfgCpu] || !d.affinity.includes(c.cfgCpu))
          return `managed irq ${d.virq} targets CPU${c.cfgCpu}, outside its online mask`;
      } else if (d.managedShutdown && c.vector !== 0) {
        return `managed irq ${d.virq} is shut down but still holds vector 0x${c.vector.toString(16)} on CPU${c.cpu}`;
      }
    }
    return null;
  },
};

/** I23 (corrected: only started irqs) */
export const noVectorOnOfflineCpu: StateInvariant = {
  id: 'no-vector-on-offline-cpu',
  category: 'affinity',
  spec: 'I23',
  scope: 'state',
  reads: ['irqs', 'cpuOnline'],
  statement:
    'no started irq keeps a vector, current or previous, on an offline CPU once the offline operation completed',
  kernel: 'kernel/irq/cpuhotplug.c migrate_one_irq(), irq_force_complete_move() (a6c11c0a5235)',
  check(w) {
    for (const d of irqValues(w)) {
      if (!d.started) continue;
      const c = vectorChip(d);
      if (!c) continue;
      if (c.vector !== 0 && !w.cpuOnline[c.cpu])
        return `started irq ${d.virq} keeps vector 0x${c.vector.toString(16)} on offline CPU${c.cpu}`;
      if (c.prevVector !== 0 && !w.cpuOnline[c.prevCpu])
        return `started irq ${d.virq} keeps previous vector 0x${c.prevVector.toString(16)} on offline CPU${c.prevCpu}`;
    }
    return null;
  },
};

/**
 * The move protocol of x86 vectors: a move allocates the new vector and keeps the old one until
 * the interrupt arrives on the new one, which releases the old one (the cleanup is an IPI or
 * timer on the old CPU in the kernel; the model completes it in the same step). A move that never
 * completes pins the old vector and refuses every later affinity change with -EBUSY.
 */
export const moveCompletes: StepInvariant = {
  id: 'move-completes',
  category: 'affinity',
  spec: 'I21 (move protocol)',
  scope: 'step',
  statement: 'an interrupt that arrives on the new vector of a move in progress releases the old vector',
  kernel: 'arch/x86/kernel/apic/vector.c irq_complete_move(), __vector_schedule_cleanup(), free_moved_vector()',
  check(before, op, outcome) {
    if (op.type !== 'deviceFireIrq' || outcome.kind !== 'ok') return null;
    const d = before.irqs[op.virq];
    const c = d?.activated ? vectorChip(d) : null;
    if (c?.kind !== 'vector' || !c.moveInProgress || c.prevVector === 0) return null;
    // delivered on the new vector: the vector the hardware was told, owned by this irq
    if (before.matrix.vectorIrq[c.cfgCpu]?.[c.cfgVector] !== op.virq) return null;
    const a = outcome.world.irqs[op.virq];
    const after = a ? vectorChip(a) : null;
    if (after && after.prevVector === c.prevVector && after.prevCpu === c.prevCpu) {
      return `irq ${op.virq} arrived on its new vector 0x${c.cfgVector.toString(16)} on CPU${c.cfgCpu}, but the move keeps old vector 0x${c.prevVector.toString(16)} on CPU${c.prevCpu}`;
    }
    return null;
  },
};

export const affinityInvariants = [effectiveAffinity, managedAffinity, noVectorOnOfflineCpu, moveCompletes];
