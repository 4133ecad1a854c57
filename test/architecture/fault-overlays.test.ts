/*
 * Faults as overlays: a catalog fault that is a callback of its own replaces its irq_domain_ops
 * slot only in a world that switched it on; the drivers' tables keep the fixed code.
 */
import { describe, expect, it } from 'vitest';
import { domainOps } from '../../models/kernel/irq/hierarchy.ts';
import { domainOpsOverlays } from '../../models/faults/overlays.ts';
import { isFaultId } from '../../models/faults/catalog.ts';
import { worldFor } from '../../src/run/check.ts';

describe('fault overlays', () => {
  const fixed = worldFor({ design: 'kernel', kernel: '6.2', quirks: true, config: 'arm-its' });
  const buggy = worldFor({ design: 'kernel', kernel: '6.2', quirks: true, config: 'arm-its', faults: ['B06'] });

  it('every overlay names a catalog fault and replaces at least one slot', () => {
    for (const o of domainOpsOverlays) {
      expect(isFaultId(o.fault), o.fault).toBe(true);
      expect(Object.keys(o.ops).length, o.fault).toBeGreaterThan(0);
    }
  });

  it('B06 swaps the mbigen .free slot only while it is on', () => {
    const b06 = domainOpsOverlays.find((o) => o.fault === 'B06')!;
    expect(domainOps(buggy, 'mbigen').free).toBe(b06.ops.free);
    expect(domainOps(fixed, 'mbigen').free).not.toBe(b06.ops.free);
    // the other slots and kinds are the drivers' own
    expect(domainOps(buggy, 'mbigen').alloc).toBe(domainOps(fixed, 'mbigen').alloc);
    expect(domainOps(buggy, 'msi')).toBe(domainOps(fixed, 'msi'));
  });
});
