/*
 * src/search/explore-args.ts - the operation alphabet of exhaustive search: for a world, every
 * enabled operation with every argument from a small fixed domain
 *
 * Handles (devices, virqs, mdevs, units, CPUs, WQs) come from the same legal guards as random
 * generation (op-specs); the free arguments the random generator draws are enumerated over a
 * small domain here, so the state space stays finite and the search is exhaustive for it:
 *   fail points: none, or the first attempt at the irq_desc, vector, IRTE or msi_desc allocation;
 *   DMAR hot add: succeeds, or (a kernel caller only) dmar_enable_qi() fails;
 *   WQ configuration: wq0 an mdev WQ (dedicated or shared), wq1 a kernel WQ; size 16, group 0;
 *   engines: engine 0 in group 0;
 *   affinity: per device, its first interrupt with a handler, moved to the first or the last
 *   CPU (by an admin); interrupts raised: the same ones; IMS completions with the slot's own
 *   PASID or another mdev's;
 *   CPU hotplug: offline the highest-numbered online CPU or CPU0, online the lowest offline one
 *   (CPUs 1.. are interchangeable until an affinity tells them apart).
 * A trace found here is a real trace; "no shorter trace" holds for this alphabet.
 */
import type { Op, OpType } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import type { FailPoint, FailSite } from '../../models/kernel/irq/hierarchy.ts';
import { opSpecs, type OpSpec } from '../generate/op-specs.ts';
import { Choices } from '../generate/choices.ts';
import { workloadOpTypes } from '../generate/workload.ts';
import { KERNEL_DESIGN } from '../../models/designs/index.ts';

// irq-data fails like irq-desc; activation failures are not reachable in the small configuration
const failSites: readonly FailSite[] = ['irq-desc', 'vector', 'irte', 'msi-desc'];
export const exploreFails: readonly (FailPoint | null)[] = [null, ...failSites.map((site) => ({ site, index: 0 }))];

/**
 * the interrupts an admin or a device acts on in the search: per device (the PF, each mdev),
 * its lowest-numbered interrupt with a handler; the others of the same device behave alike
 */
const representatives = new WeakMap<World['irqs'], Set<number>>();
function representative(w: World): Set<number> {
  const hit = representatives.get(w.irqs);
  if (hit) return hit;
  const first = new Map<string, number>();
  for (const d of Object.values(w.irqs)) {
    if (!d.action) continue;
    const key = String(d.action.dev);
    if (!first.has(key) || d.virq < first.get(key)!) first.set(key, d.virq);
  }
  const reps = new Set(first.values());
  representatives.set(w.irqs, reps);
  return reps;
}

/**
 * a kernel-level call (outside the driver-level workload): its handle with the argument picks
 * of a few fixed choice tuples (all 0, all 1, all 2), each distinct call once
 */
function variants(type: OpType, w: World, cand: unknown): Op[] {
  const seen = new Set<string>();
  const out: Op[] = [];
  for (const k of [0, 1, 2]) {
    const op = (opSpecs[type] as OpSpec<OpType>).build(w, 'legal', new Choices([k, k, k, k, k, k]), cand as never);
    const key = JSON.stringify(op);
    if (!seen.has(key)) (seen.add(key), out.push(op));
  }
  return out;
}

const workloadTypes = new Set<OpType>(workloadOpTypes);

/** build an operation whose only argument is its handle */
const plain = (type: OpType, w: World, cand: unknown): Op => (opSpecs[type] as OpSpec<OpType>).build(w, 'legal', new Choices([0]), cand as never);

/** every enabled operation of @types in @w, with every argument of the domain above */
export function enumerateOps(w: World, types: readonly OpType[]): Op[] {
  const out: Op[] = [];
  for (const type of types) {
    const cands = (opSpecs[type] as OpSpec<OpType>).candidates(w, 'legal');
    for (const cand of cands) {
      const c = cand as Record<string, number> & { dev: number; id: number; virq: number };
      switch (type) {
        case 'idxdProbe':
          for (const fail of exploreFails) out.push({ type, pf: c.dev, fail });
          break;
        case 'vmdProbe':
          for (const fail of exploreFails) out.push({ type, dev: c.id, fail });
          break;
        case 'mdevOpen':
          for (const fail of exploreFails) out.push({ type, mdev: c.id, fail });
          break;
        case 'idxdWqConfig':
          // an mdev WQ (dedicated or shared) as wq0, a kernel WQ as wq1
          out.push({ type, pf: c.dev, wq: 0, wqType: 'mdev', mode: 'dedicated', size: 16, group: 0 });
          out.push({ type, pf: c.dev, wq: 0, wqType: 'mdev', mode: 'shared', size: 16, group: 0 });
          out.push({ type, pf: c.dev, wq: 1, wqType: 'kernel', mode: 'dedicated', size: 16, group: 0 });
          break;
        case 'idxdEngineConfig':
          out.push({ type, pf: c.dev, engine: 0, group: 0 });
          break;
        case 'irqSetAffinity': {
          // an admin moves a device's first interrupt that has a handler, to the first or the last CPU
          const virq = cand as unknown as number;
          if (!representative(w).has(virq)) break;
          for (const cpu of [0, w.cpuOnline.length - 1]) out.push({ type, virq, cpus: [cpu], fromUser: false });
          break;
        }
        case 'deviceFireIrq':
          if (representative(w).has(cand as unknown as number)) out.push(plain(type, w, cand));
          break;
        case 'cpuOffline': {
          // CPUs 1.. are alike until an affinity tells them apart: offline the highest online one, or the boot CPU
          const online = w.cpuOnline.flatMap((on, i) => (on ? [i] : []));
          if (cand === online[online.length - 1] || cand === 0) out.push(plain(type, w, cand));
          break;
        }
        case 'cpuOnline': {
          const offline = w.cpuOnline.flatMap((on, i) => (on ? [] : [i]));
          if (cand === offline[0]) out.push(plain(type, w, cand));
          break;
        }
        case 'dmarHotAdd':
          // a kernel caller's hot add may also fail in dmar_enable_qi(); a design's workload adds units that come up
          out.push({ type, unit: cand as unknown as number });
          if (w.design === KERNEL_DESIGN) out.push({ type, unit: cand as unknown as number, fail: true });
          break;
        case 'dsaImsInterrupt': {
          const x = cand as unknown as { pf: number; slot: number; pasid: number };
          const other = Object.values(w.mdevs).find((m) => m.pasid !== x.pasid);
          out.push({ type, pf: x.pf, slot: x.slot, pasid: x.pasid });
          if (other) out.push({ type, pf: x.pf, slot: x.slot, pasid: other.pasid });
          break;
        }
        default:
          if (workloadTypes.has(type)) out.push(plain(type, w, cand));
          else for (const op of variants(type, w, cand)) out.push(op);
      }
    }
  }
  return out;
}
