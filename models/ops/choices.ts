/*
 * models/ops/choices.ts - reading one step's choices
 *
 * A generated sequence is a list of steps, each a short tuple of natural numbers (fast-check
 * shrinks them towards 0 and drops steps). The engine interprets a tuple against the current
 * world: the first number picks among the operations enabled now, the rest pick arguments from
 * live handles. Nothing is generated that the world cannot use, so no step is skipped.
 * The reader lives beside the operations because each operation's build() reads it; the engine
 * (src/generate) supplies the numbers. Pure: no randomness here.
 */
import type { FailPoint, FailSite } from '../kernel/irq/hierarchy.ts';

const failSites: readonly FailSite[] = ['irq-desc', 'irq-data', 'vector', 'irte', 'msi-desc', 'activate'];

/** an injected allocation failure about one time in five */
export function maybeFail(c: Choices): FailPoint | null {
  if (!c.oneIn(5)) return null;
  return { site: c.pick(failSites), index: c.int(0, 3) };
}

// irq-data fails like irq-desc; activation failures are not reachable in the small configuration
const exploreFailSites: readonly FailSite[] = ['irq-desc', 'vector', 'irte', 'msi-desc'];
/** the fail points exhaustive search tries: none, or the first attempt at one allocation site */
export const exploreFails: readonly (FailPoint | null)[] = [
  null,
  ...exploreFailSites.map((site) => ({ site, index: 0 })),
];

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
