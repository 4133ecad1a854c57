/*
 * src/search/explore-args.ts - the operation alphabet of exhaustive search: for a world, every
 * enabled operation with every argument from a small fixed domain
 *
 * Handles (devices, virqs, mdevs, units, CPUs, WQs) come from the same legal guards as random
 * generation; the free arguments the random generator draws are enumerated over a small domain,
 * so the state space stays finite and the search is exhaustive for it. Each operation's
 * definition says which calls it tries for a handle (explore, in models/ops/<area>/<op>.ts):
 *   fail points: none, or the first attempt at the irq_desc, vector, IRTE or msi_desc allocation;
 *   DMAR hot add: succeeds, or (a kernel caller only) dmar_enable_qi() fails;
 *   WQ configuration: wq0 an mdev WQ (dedicated or shared), wq1 a kernel WQ; size 16, group 0;
 *   engines: engine 0 in group 0;
 *   affinity: per device, its first interrupt with a handler, moved to the first or the last
 *   CPU (by an admin); interrupts raised: the same ones; IMS completions with the slot's own
 *   PASID or another mdev's;
 *   CPU hotplug: offline the highest-numbered online CPU or CPU0, online the lowest offline one
 *   (CPUs 1.. are interchangeable until an affinity tells them apart);
 *   any other call: its handle with the argument picks of the choice tuples all 0, all 1, all 2,
 *   each distinct call once.
 * A trace found here is a real trace; "no shorter trace" holds for this alphabet.
 */
import { opDef, type Op, type OpType } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import { exploreCalls } from '../../models/ops/op.ts';

/** every enabled operation of @types in @w, with every argument of the domain above */
export function enumerateOps(w: World, types: readonly OpType[]): Op[] {
  const out: Op[] = [];
  for (const type of types) {
    const def = opDef(type);
    for (const cand of def.candidates(w, 'legal')) out.push(...exploreCalls(def, w, cand));
  }
  return out;
}
