/*
 * src/generate/ioapic-op-specs.ts - the I/O APIC operations' guards and arguments (models/arch/x86/ioapic.ts)
 *
 * legal: hot add an unregistered I/O APIC; hot remove one with no pin in use (the ACPI core
 * removes an I/O APIC only after its devices); map a pin that has no irq yet; unmap a pin's irq
 * once its handler is freed. any: every I/O APIC, pin and irq.
 * Platforms without I/O APICs offer none of them.
 */
import type { OpType } from '../../models/ops.ts';
import type { IoApic, World } from '../../models/world/types.ts';
import type { OpSpec } from './op-spec.ts';
import { anyVirqs, liveIrqs } from './handles.ts';

type IoapicOps = 'acpiIoapicAdd' | 'mpUnregisterIoapic' | 'mpMapPinToIrq' | 'mpUnmapIrq';

const ioapics = (w: World): readonly IoApic[] => w.ioapics ?? [];
const pins = (a: IoApic): number[] => Array.from({ length: a.pins }, (_, i) => i);

export const ioapicOpSpecs: { readonly [K in IoapicOps & OpType]: OpSpec<K> } = {
  acpiIoapicAdd: {
    candidates: (w, mode) => ioapics(w).filter((a) => mode === 'any' || !a.present).map((a) => ({ ioapic: a.index })),
    build: (_w, _m, _c, x: { ioapic: number }) => ({ type: 'acpiIoapicAdd', ioapic: x.ioapic }),
  },
  mpUnregisterIoapic: {
    candidates: (w, mode) => ioapics(w).filter((a) => mode === 'any' || (a.present && Object.keys(a.pinIrq).length === 0)).map((a) => ({ ioapic: a.index })),
    build: (_w, _m, _c, x: { ioapic: number }) => ({ type: 'mpUnregisterIoapic', ioapic: x.ioapic }),
  },
  mpMapPinToIrq: {
    candidates: (w, mode) =>
      ioapics(w).flatMap((a) => (mode === 'any' || (a.present && a.domain !== null) ? pins(a).filter((p) => mode === 'any' || a.pinIrq[p] === undefined).map((pin) => ({ ioapic: a.index, pin })) : [])),
    build: (_w, _m, _c, x: { ioapic: number; pin: number }) => ({ type: 'mpMapPinToIrq', ioapic: x.ioapic, pin: x.pin }),
  },
  mpUnmapIrq: {
    candidates: (w, mode) => (ioapics(w).length === 0 ? [] : mode === 'legal' ? liveIrqs(w).filter((v) => v.owner?.kind === 'ioapic' && !v.action).map((v) => v.virq) : anyVirqs(w)),
    build: (_w, _m, _c, virq: number) => ({ type: 'mpUnmapIrq', virq }),
  },
};
