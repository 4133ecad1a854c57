/*
 * src/report/trace.ts - a counterexample as a kernel-style call trace
 *
 *   1  pci_alloc_irq_vectors(0000:6a:01.0, 1, 2, PCI_IRQ_MSIX) = 2
 *   2  irq_domain_remove(INTEL-IR-0) = WARN: ...
 *   !! domain-outlives-users: IR-PCI-MSIX-0000:6a:01.0's parent INTEL-IR-0 (removed) ...
 */
import type { World } from '../../models/world/types.ts';
import { step } from '../../models/step.ts';
import type { TraceStep } from '../run/run.ts';
import { describeCall } from './call.ts';

function describeValue(v: unknown): string {
  if (v === undefined) return '0';
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'index' in v && 'virq' in v) {
    const m = v as { index: number; virq: number };
    return `{index ${m.index}, virq ${m.virq}}`;
  }
  return JSON.stringify(v);
}

/** the result part of one trace line */
export function describeResult(s: TraceStep): string {
  switch (s.outcome) {
    case 'ok':
      return `= ${describeValue(s.value)}`;
    case 'err':
      return `= -${s.errno}  (${s.why})`;
    case 'warned':
      return `WARN: ${s.why}${s.errno ? ` (-${s.errno})` : ''}`;
    case 'bug':
      return `BUG: ${s.why}`;
    case 'use-after-free':
      return `KASAN use-after-free: ${s.why}`;
  }
}

/** formatTrace() - numbered call lines, names resolved in the world each call ran on */
export function formatTrace(w0: World, trace: readonly TraceStep[]): string[] {
  const lines: string[] = [];
  let w = w0;
  const width = String(trace.length).length;
  trace.forEach((s, i) => {
    lines.push(`${String(i + 1).padStart(width)}  ${describeCall(w, s.op)} ${describeResult(s)}`);
    w = step(w, s.op).world;
  });
  return lines;
}
