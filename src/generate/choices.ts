/*
 * src/generate/choices.ts - reading one step's choices
 *
 * A generated sequence is a list of steps, each a short tuple of natural numbers (fast-check
 * shrinks them towards 0 and drops steps). The engine interprets a tuple against the current
 * world: the first number picks among the operations enabled now, the rest pick arguments from
 * live handles. Nothing is generated that the world cannot use, so no step is skipped.
 */
import type { FailPoint, FailSite } from '../../models/kernel/irq/hierarchy.ts';

export const CHOICES_PER_STEP = 6;

const failSites: readonly FailSite[] = ['irq-desc', 'irq-data', 'vector', 'irte', 'msi-desc', 'activate'];

/** an injected allocation failure about one time in five */
export function maybeFail(c: Choices): FailPoint | null {
  if (!c.oneIn(5)) return null;
  return { site: c.pick(failSites), index: c.int(0, 3) };
}

export class Choices {
  private i = 0;
  constructor(private readonly xs: readonly number[]) {}

  /** the next raw number (cycling through the tuple, mixed so a cycle is not a repeat) */
  nat(): number {
    const k = this.i++;
    const x = this.xs[k % this.xs.length] ?? 0;
    return k < this.xs.length ? x : (x * 2654435761 + k) >>> 0;
  }

  /** one element of a non-empty list */
  pick<T>(list: readonly T[]): T {
    return list[this.nat() % list.length]!;
  }

  /** an integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + (this.nat() % (hi - lo + 1));
  }

  /** true with probability about 1/n */
  oneIn(n: number): boolean {
    return this.nat() % n === n - 1;
  }

  /** a non-empty subset of @list */
  subset<T>(list: readonly T[]): T[] {
    const mask = (this.nat() % ((1 << list.length) - 1)) + 1;
    return list.filter((_, i) => (mask >> i) & 1);
  }
}
