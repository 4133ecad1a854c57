/*
 * src/generate/op-spec.ts - the shape of one operation's generation spec (its guard and how a
 * step's choices become its arguments), for the spec files that op-specs.ts gathers
 *
 * dsa-op-specs.ts and ioapic-op-specs.ts take the type from here, not from op-specs.ts, which
 * imports them (a type-only import cycle). op-specs.ts still declares an identical OpSpec and
 * Mode of its own; the operations-as-modules rewrite of src/generate/ folds them into one.
 */
import type { OpOf, OpType } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import type { Choices } from './choices.ts';

export type Mode = 'legal' | 'any';

export interface OpSpec<K extends OpType> {
  /** the handles this operation can be applied to now; empty = not enabled */
  readonly candidates: (w: World, mode: Mode) => readonly unknown[];
  /** turn one candidate and the step's remaining choices into the operation */
  readonly build: (w: World, mode: Mode, c: Choices, cand: never) => OpOf<K>;
  /**
   * candidates worth trying first: half the time the pick is among these (when some are and
   * some are not), so that the generator goes where the state has something to lose
   */
  readonly prefer?: (w: World, cand: never) => boolean;
}
