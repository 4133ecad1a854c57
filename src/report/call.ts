/*
 * src/report/call.ts - an operation as the kernel call a maintainer would type
 *
 * Each operation renders itself (render, in models/ops/<area>/<op>.ts); this is the entry point
 * the trace, the replay and the HTML report use.
 */
import { opDef, type Op } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';

/** describeCall() - @op in kernel-call form, with names resolved in the world it ran on */
export function describeCall(w: World, op: Op): string {
  return opDef(op.type).render(w, op);
}
