/*
 * models/ops/recent-frees.ts - the caller's memory of handles it freed lately: a careless caller
 * may name them again (the lifetime invariants read them). Callers' bookkeeping, not kernel state.
 */
import type { RecentFree, World } from '../world/types.ts';

const RECENT_FREES = 4;

/** remember() - @f was freed by the step that produced @w */
export const remember = (w: World, f: RecentFree): World => ({
  ...w,
  recentFrees: [...w.recentFrees, f].slice(-RECENT_FREES),
});
