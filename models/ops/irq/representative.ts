/*
 * models/ops/irq/representative.ts - the interrupts an admin or a device acts on in exhaustive
 * search: per device (the PF, each mdev), its lowest-numbered interrupt with a handler; the others
 * of the same device behave alike
 */
import type { World } from '../../world/types.ts';

const representatives = new WeakMap<World['irqs'], Set<number>>();

export function representative(w: World): Set<number> {
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
