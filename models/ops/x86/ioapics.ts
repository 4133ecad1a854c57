/*
 * models/ops/x86/ioapics.ts - the I/O APICs and pins a caller can name (models/arch/x86/ioapic.ts)
 *
 * legal: hot add an unregistered I/O APIC; hot remove one with no pin in use (the ACPI core
 * removes an I/O APIC only after its devices); map a pin that has no irq yet; unmap a pin's irq
 * once its handler is freed. any: every I/O APIC, pin and irq.
 * Platforms without I/O APICs offer none of them.
 */
import type { IoApic, World } from '../../world/types.ts';

export const ioapics = (w: World): readonly IoApic[] => w.platform.ioapics;
export const pins = (a: IoApic): number[] => Array.from({ length: a.pins }, (_, i) => i);
/** an I/O APIC in a trace: IOAPIC[0] id 8 */
export const ioapicName = (w: World, index: number) => `IOAPIC[${index}] id ${w.platform.ioapics[index]?.id ?? '?'}`;
