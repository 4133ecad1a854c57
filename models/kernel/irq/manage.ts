/*
 * models/kernel/irq/manage.ts - handlers, startup/shutdown and affinity (kernel/irq/manage.c,
 * kernel/irq/chip.c, kernel/irq/migration.c) and what happens when the device fires
 *
 * Modelled: request_irq() activates and starts (managed irqs with no online CPU stay in managed
 * shutdown), free_irq() shuts down and deactivates; irq_set_affinity() stores the mask while
 * deactivated, moves at once with IRQ_MOVE_PCNTXT (IR), else leaves it pending until the next
 * interrupt; an interrupt completes a pending vector move and applies a pending affinity.
 * Left out: shared handlers, threaded handlers, enable/disable depth, AFFINITY_PRE_STARTUP.
 */
import type { CpuId, DevId, IrqDesc, Virq, World } from '../../world/types.ts';
import { noArg } from './hierarchy.ts';
import { err, okVoid, uaf, warned, type Outcome } from '../../world/outcome.ts';
import { irqDomainActivateIrq, irqDomainDeactivateIrq } from './irqdomain.ts';
import { archIrqHooks, irqChipOf, msiTargetOf } from './registry.ts';
import type { VectorChipData } from '../../world/types.ts';
import { onlineCpus, putIrq, updDevice, updIrq, domainName } from '../../world/world.ts';
import { intersect } from '../../world/util.ts';
import { hasFault } from '../../world/profile.ts';

const freedLevel = (w: World, d: IrqDesc) => d.levels.find((l) => !w.domains[l.domain]);

/**
 * irqDoSetAffinity() - hand @mask ∩ online to the top level's set_affinity
 * Kernel: kernel/irq/manage.c irq_do_set_affinity(); the chip is the top domain's
 */
export function irqDoSetAffinity(w: World, virq: Virq, mask: readonly CpuId[]): Outcome<void> {
  const d = w.irqs[virq]!;
  const gone = freedLevel(w, d);
  if (gone) return uaf(w, `irq ${virq}: set_affinity through freed domain ${domainName(w, gone.domain)}`);
  const tmp = intersect(mask, onlineCpus(w));
  if (tmp.length === 0) return err(w, 'EINVAL', `irq ${virq}: no online CPU in {${mask.join(',')}}`);
  const top = w.domains[d.levels[0]!.domain]!;
  // the top level's chip->irq_set_affinity()
  const r = irqChipOf(top.kind).setAffinity(w, virq, 0, tmp);
  if (r.kind !== 'ok') return r;
  const after = r.world.irqs[virq]!;
  const broken = !after.effective.every((c) => mask.includes(c));
  return okVoid(putIrq(r.world, { ...after, affinity: mask, affinityBroken: broken }));
}

/**
 * requestIrq() - install a handler, activate, start
 * -EINVAL without a desc, -EBUSY if a handler is there (no IRQF_SHARED); activation errors
 * (-ENOSPC: no vector) propagate. A managed irq with no online CPU in its mask is requested but
 * left in managed shutdown until a CPU of the mask comes online.
 * Kernel: kernel/irq/manage.c __setup_irq(), kernel/irq/chip.c irq_startup(), __irq_startup_managed()
 */
export function requestIrq(w: World, virq: Virq, dev: DevId | null, devm: boolean): Outcome<void> {
  const d = w.irqs[virq];
  if (!d) return err(w, 'EINVAL', `request_irq(${virq}): no such irq`);
  if (d.action) return err(w, 'EBUSY', `request_irq(${virq}): handler already installed`);
  const gone = freedLevel(w, d);
  if (gone) return uaf(w, `request_irq(${virq}): level in freed domain ${domainName(w, gone.domain)}`);
  if (dev !== null && (!w.devices[dev] || w.devices[dev]!.released))
    return uaf(w, `request_irq(${virq}): dev_id is released device #${dev}`);
  let out = w;
  if (!d.managed) {
    // irq_activate()
    const a = irqDomainActivateIrq(out, virq, false, noArg);
    if (a.kind !== 'ok') return a;
    out = a.world;
  }
  out = updIrq(out, virq, (x) => ({ ...x, action: { dev, devm } }));
  if (d.managed) {
    const x = out.irqs[virq]!;
    if (intersect(x.affinity, onlineCpus(out)).length === 0) {
      out = updIrq(out, virq, (y) => ({ ...y, managedShutdown: true })); // IRQ_STARTUP_ABORT
    } else {
      const a = irqDomainActivateIrq(
        updIrq(out, virq, (y) => ({ ...y, managedShutdown: false })),
        virq,
        false,
        noArg,
      );
      // activation failure: an errno, with or without a WARN of its own (activate_managed())
      if (a.kind === 'err' || (a.kind === 'warned' && a.errno !== undefined)) {
        // __irq_startup_managed(): WARN_ON(irq_domain_activate_irq()) -> IRQ_STARTUP_ABORT, and
        // irq_startup() marks the irq managed-shutdown and returns 0: request_irq() succeeds with
        // the handler installed (kernel/irq/chip.c, 6.12.118); the WARN is the step's outcome
        const warn = `WARN_ON in __irq_startup_managed: request_irq(${virq}): managed activation failed: ${a.why}`;
        out = updIrq(out, virq, (y) => ({ ...y, managedShutdown: true }));
        out = { ...out, kernelWarn: [...out.kernelWarn, warn] };
      } else if (a.kind === 'ok' || a.kind === 'warned') {
        out = updIrq(a.world, virq, (y) => ({ ...y, started: true }));
        if (a.kind === 'warned') out = { ...out, kernelWarn: [...out.kernelWarn, a.why] };
      } else return a;
    }
  } else {
    out = updIrq(out, virq, (y) => ({ ...y, started: true }));
    // irq_startup() -> irq_setup_affinity(): a normal irq is (re)targeted at the online CPUs of
    // its mask, or any online CPU; the result is not checked (kernel/irq/chip.c, manage.c)
    const x = out.irqs[virq]!;
    const online = intersect(x.affinity, onlineCpus(out));
    const r = irqDoSetAffinity(out, virq, online.length > 0 ? online : onlineCpus(out));
    if (r.kind === 'ok') out = r.world;
    else if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
  }
  if (devm && dev !== null)
    out = updDevice(out, dev, (x) => ({ ...x, devres: [...x.devres, { kind: 'devm-irq', virq }] }));
  return okVoid(out);
}

/**
 * freeIrq() - remove the handler, shut down and deactivate
 * No desc or no handler: WARN "Trying to free already-free IRQ".
 * Kernel: kernel/irq/manage.c __free_irq()
 */
export function freeIrq(w: World, virq: Virq): Outcome<void> {
  const d = w.irqs[virq];
  if (!d?.action) return warned(w, `Trying to free already-free IRQ ${virq}`);
  const gone = freedLevel(w, d);
  if (gone) return uaf(w, `free_irq(${virq}): level in freed domain ${domainName(w, gone.domain)}`);
  const out = updIrq(w, virq, (x) => ({ ...x, action: null, started: false }));
  return irqDomainDeactivateIrq(out, virq);
}

/**
 * irqSetAffinity() - set the requested affinity of @virq
 * Deactivated (x86 AFFINITY_ON_ACTIVATE): store the mask, applied at activation. With
 * IRQ_MOVE_PCNTXT: move now. Otherwise: pending until the next interrupt. From user space a
 * managed irq is -EIO.
 * Kernel: kernel/irq/manage.c irq_set_affinity_locked(), irq_set_affinity_deactivated(),
 *         irq_can_set_affinity_usr()
 */
export function irqSetAffinity(w: World, virq: Virq, mask: readonly CpuId[], fromUser: boolean): Outcome<void> {
  const d = w.irqs[virq];
  if (!d) return err(w, 'EINVAL', `irq_set_affinity(${virq}): no such irq`);
  if (fromUser && d.managed) return err(w, 'EIO', `irq ${virq} is managed: affinity not changeable from user space`);
  if (mask.length === 0) return err(w, 'EINVAL', 'empty mask');
  // a VMD child has no affinity of its own (vmd.c); only an x86 vector level below it would
  // store the mask while deactivated (IRQD_AFFINITY_ON_ACTIVATE)
  if (
    d.levels.some((l) => w.domains[l.domain]?.kind === 'vmd') &&
    (d.activated || !d.levels.some((l) => w.domains[l.domain]?.kind === 'vector'))
  ) {
    return err(w, 'EINVAL', `irq_set_affinity(${virq}): a VMD child interrupt cannot be moved`);
  }
  // B37: before baedb87d1b53 (genirq/affinity: Handle affinity setting on inactive interrupts
  // correctly) the core called the chip's irq_set_affinity() whatever the activation state. The
  // x86 vector domain stored the mask itself (apic_set_affinity(): "Core code can call here for
  // inactive interrupts"); the GIC-ITS sent MOVI for an event it had not mapped yet.
  const preFix = hasFault(w.profile, 'B37') && d.levels.some((l) => w.domains[l.domain]?.kind === 'its');
  if (!d.activated && !preFix) return okVoid(putIrq(w, { ...d, affinity: mask, effective: mask }));
  if (d.movePcntxt && d.pendingAffinity === null) return irqDoSetAffinity(w, virq, mask);
  return okVoid(putIrq(w, { ...d, pendingAffinity: mask }));
}

const vectorLevel = (d: IrqDesc) => d.levels.length - 1;

/**
 * deviceFireIrq() - the device raises @virq; it lands on the vector/CPU the hardware was told
 * On arrival at the new target a pending move completes (the old vector is cleaned up), then a
 * pending affinity change is applied.
 * Kernel: arch/x86/kernel/apic/vector.c irq_complete_move(), kernel/irq/migration.c irq_move_irq()
 */
export function deviceFireIrq(w: World, virq: Virq): Outcome<void> {
  const d = w.irqs[virq];
  if (!d?.activated) return okVoid(w); // zero message: the write goes nowhere
  const gone = freedLevel(w, d);
  if (gone) return uaf(w, `irq ${virq} fired through freed domain ${domainName(w, gone.domain)}`);
  // the device writes what its message says: to a VMD MSI-X entry, the VMD raises its own
  // interrupt and vmd_irq() runs the child handlers (vmd.c)
  const top = d.levels[0]!.chip;
  const msg = top && (top.kind === 'msi' || top.kind === 'vmd') ? top.msg : null;
  const chained = msg ? msiTargetOf(msg.format).chainedVirq : undefined;
  if (msg && chained) {
    const via = chained(w, msg);
    return via === null ? okVoid(w) : deviceFireIrq(w, via);
  }
  const lvl = vectorLevel(d);
  const c = d.levels[lvl]!.chip as VectorChipData;
  let out = w;
  // irq_complete_move(): the first interrupt on the new vector cleans the old one up. B03: after
  // the entry rework (before e027fffff799 "x86/irq: Unbreak interrupt affinity setting") the
  // vector compared against came from orig_ax = -1 and never matched, so no move completed
  const arrivedOnNew = w.matrix.vectorIrq[c.cfgCpu]?.[c.cfgVector] === virq && !hasFault(w.profile, 'B03');
  if (c.kind === 'vector' && c.moveInProgress && arrivedOnNew) out = archIrqHooks().irqCompleteMove(out, virq, lvl);
  const pend = out.irqs[virq]!.pendingAffinity;
  if (pend !== null) {
    out = updIrq(out, virq, (x) => ({ ...x, pendingAffinity: null }));
    if (intersect(pend, onlineCpus(out)).length > 0) {
      const r = irqDoSetAffinity(out, virq, pend);
      if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
      if (r.kind === 'ok') out = r.world;
    }
  }
  return okVoid(out);
}
