/*
 * src/conformance/irte.ts - the IRTE block allocator: alloc_irte() and clear_entries() of
 * drivers/iommu/intel/irq_remapping.c against models/drivers/iommu/intel/irq-remapping.ts
 *
 * A sequence allocates blocks of 1..40 entries (rounded up to a power of two, refused above the
 * ecap max handle mask) in a 64-entry table and clears what it got: through sub-handle 0 (the
 * region is released), another sub-handle (nothing happens), or misuse (a block it never had,
 * twice). Both sides print the return value, the block (index, mask) and the table's bitmap.
 */
import { bootWorld } from '../../models/machine/boot.ts';
import { allocIrte, clearEntries } from '../../models/drivers/iommu/intel/irq-remapping.ts';
import { smallConfig } from '../../models/world/platform.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import type { IrChipData, World } from '../../models/world/types.ts';
import { prng } from './prng.ts';

export const IRTE_ENTRIES = 64;

export type IrteCall =
  | { readonly op: 'alloc'; readonly count: number }
  | { readonly op: 'clear'; readonly index: number; readonly mask: number; readonly subHandle: number };

export interface IrteSequence {
  readonly mhmv: number;
  readonly calls: readonly IrteCall[];
}

export const irteSetupLine = (s: IrteSequence) => `I ${s.mhmv}`;
export const irteCallLine = (c: IrteCall) =>
  c.op === 'alloc' ? `A ${c.count}` : `C ${c.index} ${c.mask} ${c.subHandle}`;
export const irteInput = (seqs: readonly IrteSequence[]) =>
  `${seqs.map((s) => [irteSetupLine(s), ...s.calls.map(irteCallLine)].join('\n')).join('\n')}\nQ\n`;

let base: World | null = null;
/** a booted world whose first DMAR unit has an empty table of IRTE_ENTRIES and the given MHMV */
function freshUnit(mhmv: number): World {
  base ??= bootWorld(kernelProfile('6.2'), smallConfig);
  const u = base.units[0]!;
  return {
    ...base,
    units: [
      { ...u, irteEntries: IRTE_ENTRIES, maxHandleMask: mhmv, irteBitmap: [], irtes: {} },
      ...base.units.slice(1),
    ],
  };
}

const line = (ret: number, index: number, mask: number, w: World) =>
  `${ret} ${index} ${mask} |${w.units[0]!.irteBitmap.map((b) => ` ${b}`).join('')}`;

interface IrteStep {
  readonly w: World;
  readonly ret: number;
  readonly index: number;
  readonly mask: number;
}

/** one call on the model; alloc_irte() returns -1 for a count it refuses and -ENOMEM for a full table */
function applyIrte(w: World, c: IrteCall, mhmv: number): IrteStep {
  if (c.op === 'clear') {
    const chip: IrChipData = {
      kind: 'ir',
      unit: 0,
      irteIndex: c.index,
      subHandle: c.subHandle,
      irteMask: c.mask,
      sid: 0,
      svt: 0,
    };
    return { w: clearEntries(w, chip), ret: 0, index: -1, mask: -1 };
  }
  const r = c.count === 0 ? null : allocIrte(w, 0, c.count);
  if (r) return { w: r.w, ret: r.index, index: r.index, mask: r.mask };
  // the model's null is a refusal (count 0, or a block above the max handle mask) or a full table
  const refused = c.count === 0 || Math.ceil(Math.log2(c.count)) > mhmv;
  return { w, ret: refused ? -1 : -12, index: -1, mask: -1 };
}

export function irteModelLines(seq: IrteSequence): string[] {
  let w = freshUnit(seq.mhmv);
  const out = [line(0, -1, -1, w)];
  for (const c of seq.calls) {
    const s = applyIrte(w, c, seq.mhmv);
    w = s.w;
    out.push(line(s.ret, s.index, s.mask, w));
  }
  return out;
}

export type IrteKind = 'well-formed' | 'misuse';
export const irteKinds: readonly IrteKind[] = ['well-formed', 'misuse'];

/** well-formed: clear only blocks it holds, once through sub-handle 0; misuse: any block, any time */
export function irteSequence(kind: IrteKind, seed: number): IrteSequence {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const mhmv = int(6);
  let w = freshUnit(mhmv);
  const held: { index: number; mask: number }[] = [];
  const calls: IrteCall[] = [];
  const length = 5 + int(40);
  while (calls.length < length) {
    let c: IrteCall;
    if (held.length && rnd() < 0.4) {
      const i = int(held.length);
      const h = held[i]!;
      const subHandle = rnd() < 0.8 ? 0 : 1 + int(3);
      if (subHandle === 0 && kind === 'well-formed') held.splice(i, 1);
      c = { op: 'clear', index: h.index, mask: h.mask, subHandle };
    } else if (kind === 'misuse' && rnd() < 0.3) {
      const mask = int(4);
      c = { op: 'clear', index: int(IRTE_ENTRIES >> mask) << mask, mask, subHandle: 0 };
    } else {
      c = { op: 'alloc', count: rnd() < 0.6 ? 1 + int(4) : int(41) };
    }
    calls.push(c);
    const s = applyIrte(w, c, mhmv);
    w = s.w;
    if (s.index >= 0) held.push({ index: s.index, mask: s.mask });
  }
  return { mhmv, calls };
}
