/*
 * models/ops/idxd/dsa-ims-interrupt.ts - the DSA completes a descriptor of a PASID through an IMS slot
 *   (hardware)
 */
import { z } from 'zod';
import { dsaImsInterrupt } from '../../drivers/dma/idxd/interrupts.ts';
import { nat } from '../args.ts';
import { mdevs, pfs } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'dsaImsInterrupt',
  z.object({ pf: nat, slot: nat, pasid: nat }),
)({
  step: (w, o) => dsaImsInterrupt(w, o.pf, o.slot, o.pasid),
  render: (w, o) => `<${deviceName(w, o.pf)} completes a descriptor of PASID ${o.pasid} through IMS slot ${o.slot}>`,
  // a descriptor of some PASID completing through a slot that holds a message
  candidates: (w) =>
    pfs(w).flatMap((p) =>
      p.ims.flatMap((e, slot) => (e.msg !== null || e.pasidEn ? [{ pf: p.dev, slot, pasid: e.pasid }] : [])),
    ),
  build: (w, _m, c, x) => {
    const others = mdevs(w).map((m) => m.pasid);
    return {
      type: 'dsaImsInterrupt',
      pf: x.pf,
      slot: x.slot,
      pasid: c.oneIn(3) && others.length ? c.pick(others) : x.pasid,
    };
  },
  // the PASID is the slot's own; the call may name another mdev's
  handle: (x) => ({ pf: x.pf, slot: x.slot }),
  // the slot's own PASID, and another mdev's
  explore: (w, x) => {
    const other = Object.values(w.mdevs).find((m) => m.pasid !== x.pasid);
    const own = { type: 'dsaImsInterrupt', pf: x.pf, slot: x.slot, pasid: x.pasid } as const;
    return other ? [own, { ...own, pasid: other.pasid }] : [own];
  },
});
