/*
 * properties/invariant.ts - what an invariant is
 *
 * State invariants are predicates over one world (TLA+ style). Step invariants look at one
 * transition (the world before, the operation, its outcome): atomicity of failed operations,
 * frees of handles the caller does not own, the kernel crashing. A check returns null when the
 * invariant holds, else one message that names the entities involved.
 */
import type { World } from '../models/world/types.ts';
import type { Op } from '../models/ops.ts';
import type { StepOutcome } from '../models/step.ts';

export type Category = 'leak' | 'structure' | 'lifetime' | 'atomicity' | 'isolation' | 'affinity';
export const categories: readonly Category[] = ['leak', 'structure', 'lifetime', 'atomicity', 'isolation', 'affinity'];

interface InvariantBase {
  /** stable kebab-case id, used in reports, JSON and counterexample files */
  readonly id: string;
  readonly category: Category;
  /** the spec's number (kernel-irq-model.md section 4) */
  readonly spec: string;
  /** one-line statement */
  readonly statement: string;
  /** the kernel rule it encodes: file and function */
  readonly kernel: string;
}

export interface StateInvariant extends InvariantBase {
  readonly scope: 'state';
  /**
   * every part of the world the check reads: when a step leaves all of them untouched (the
   * same objects: the world is immutable and shares structure), the verdict cannot change and
   * the check is skipped
   */
  readonly reads: readonly (keyof World)[];
  readonly check: (w: World) => string | null;
}

export interface StepInvariant extends InvariantBase {
  readonly scope: 'step';
  readonly check: (before: World, op: Op, outcome: StepOutcome) => string | null;
}

export type Invariant = StateInvariant | StepInvariant;

export interface Violation {
  readonly invariant: string;
  readonly category: Category;
  readonly message: string;
}
