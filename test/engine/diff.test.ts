/*
 * The per-step state diff of `irqcheck replay`: names what changed in kernel terms.
 */
import { describe, expect, it } from 'vitest';
import { describeDiff } from '../../src/report/diff.ts';
import { boot, DSA0, step } from '../helpers.ts';

describe('describeDiff', () => {
  it('an idxd probe adds the device domains, nine virqs with their chain, nine present IRTEs', () => {
    const w0 = boot('6.2');
    const w1 = step(w0, { type: 'idxdProbe', pf: DSA0, fail: null }).world;
    const d = describeDiff(w0, w1).join('\n');
    expect(d).toContain('+ domain IR-PCI-MSIX-0000:6a:01.0 (parent INTEL-IR-0)');
    expect(d).toContain('+ virq 1..9 via IR-PCI-MSIX-0000:6a:01.0 -> INTEL-IR-0 -> VECTOR');
    expect(d).toContain('~ DRHD0: +IRTE 0..8, present 0..8');
    expect(d).toContain('bound to idxd');
  });
  it('nothing for an unchanged world; CPU hotplug is shown', () => {
    const w0 = boot('5.10');
    expect(describeDiff(w0, w0)).toEqual([]);
    const w1 = step(w0, { type: 'cpuOffline', cpu: 2 }).world;
    expect(describeDiff(w0, w1)).toContain('~ CPU2 offline');
  });
});
