/*
 * Fidelity: version-true kernel profiles (models/world/profile.ts)
 *
 * IMS (drivers/pci/msi/api.c pci_create_ims_domain(), pci_ims_alloc_irq()) exists in 6.2 to 6.9
 * only: merged for 6.2 without an in-tree user, reverted for 6.10 ("PCI/MSI: Remove IMS
 * support"); Debian's long-term 6.12 (linux-source-6.12, 6.12.118) has no drivers/pci/msi IMS
 * entry points. irq_matrix_allocated() leaves managed vectors out since a0b0bad10587 (6.7).
 */
import { describe, expect, it, vi } from 'vitest';
import { boot, DSA0 } from '../helpers.ts';
import { main } from '../../src/cli/main.ts';
import { pciCreateImsDomain } from '../../models/drivers/pci/msi.ts';
import { designKernelLabel, refuseDesignKernel } from '../../models/world/profile.ts';
import type { World } from '../../models/world/types.ts';
import { offline, run } from './util.ts';

describe('kernel 6.12: no IMS', () => {
  it('pci_create_ims_domain is -ENOSYS on 6.12 and on 5.10, and exists on 6.2', () => {
    for (const v of ['5.10', '6.12'] as const) {
      const w = boot(v);
      expect(pciCreateImsDomain(w, DSA0, 16)).toMatchObject({ kind: 'err', errno: 'ENOSYS' });
    }
    expect(pciCreateImsDomain(boot('6.2'), DSA0, 16).kind).not.toBe('err');
  });

  it('a design written for the IMS API of 6.2 is refused on 6.12; the 5.10 designs are refused on another kernel', () => {
    expect(refuseDesignKernel('per-device-msi', '6.2', '6.12')).toMatch(/IMS API of 6.2 .* cannot run on 6.12/);
    expect(refuseDesignKernel('per-device-msi', '6.2', '6.2')).toBeNull();
    expect(refuseDesignKernel('rfc-v2-dev-msi', '5.10', '6.12')).toMatch(/written for kernel 5.10/);
  });

  it('irqcheck check --design per-device-msi --kernel 6.12: exit 2, one line on stderr', async () => {
    const err: string[] = [];
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.exitCode = undefined;
    try {
      await main(['check', '--design', 'per-device-msi', '--kernel', '6.12', '--runs', '1']);
    } finally {
      e.mockRestore();
      o.mockRestore();
    }
    const code = process.exitCode;
    process.exitCode = undefined;
    expect(code).toBe(2);
    expect(err.join('').trim().split('\n')).toHaveLength(1);
    expect(err.join('')).toMatch(/cannot run on 6.12/);
  });

  it('listings call the IMS designs proposals on 6.2; only the 5.10 and 6.12 kernels are mainline', () => {
    expect(designKernelLabel('per-device-msi', '6.2')).toBe('proposal on 6.2');
    expect(designKernelLabel('kernel', '6.2')).toBe('proposal on 6.2');
    expect(designKernelLabel('kernel', '5.10')).toBe('mainline 5.10');
    expect(designKernelLabel('kernel', '6.12')).toBe('mainline 6.12');
    expect(designKernelLabel('rfc-v2-dev-msi', '5.10')).toBe('proposal on 5.10');
  });
});

describe('kernel 6.12: lapic_can_unplug_cpu() counts non-managed vectors only (irq_matrix_allocated, a0b0bad10587)', () => {
  /** CPU1 holds 3 managed vectors; the other CPUs have no vector left (hand-built matrix) */
  const full = (v: '6.2' | '6.12'): World => {
    const w = boot(v);
    const maps = w.matrix.maps.map((cm, c) =>
      c === 1
        ? {
            ...cm,
            allocMap: [0x30, 0x31, 0x32],
            managedMap: [0x30, 0x31, 0x32],
            allocated: 3,
            managed: 3,
            managedAllocated: 3,
          }
        : { ...cm, available: 0 },
    );
    return { ...w, matrix: { ...w.matrix, maps, globalAvailable: maps[1]!.available } };
  };

  it('6.2 refuses the offline (managed vectors counted); 6.12 lets the CPU go (they shut down with it)', () => {
    expect(run(full('6.2'), offline(1))).toMatchObject({ kind: 'err', errno: 'ENOSPC' });
    expect(run(full('6.12'), offline(1)).kind).toBe('ok');
  });
});
