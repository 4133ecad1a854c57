/*
 * The model is total: every call in every state it can reach gives an outcome (ok, err, warned,
 * bug, use-after-free), never an exception. One stacking that used to throw is pinned here (a
 * platform-MSI domain made on the PCI-MSI domain: msi_domain_set_affinity() must go through the
 * parent's own irq_chip, irq_chip_compose_msi_msg() past the MSI level), and misuse campaigns
 * on every platform and profile must run to their end.
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../models/step.ts';
import type { Op } from '../../models/ops.ts';
import { platformConfigs } from '../../models/world/platform.ts';
import { kernelVersions } from '../../models/world/profile.ts';
import { runCheck, worldFor } from '../../src/run/check.ts';

describe('a total model', () => {
  it('platform-MSI stacked on PCI-MSI (5.10): request_irq moves the vector through both MSI levels', () => {
    let w = worldFor({ design: 'kernel', kernel: '5.10', quirks: true, config: 'small' });
    const pciMsi = Object.values(w.domains).find((d) => d.name === 'PCI-MSI')!.id;
    const plat = Object.values(w.devices).find((d) => d.bus === 'platform')!.id;
    const ops: Op[] = [
      { type: 'platformMsiCreateIrqDomain', parent: pciMsi },
      { type: 'devSetMsiDomain', dev: plat, domain: w.nextDomainId },
      { type: 'platformMsiDomainAllocIrqs', dev: plat, nvec: 2, fail: null },
    ];
    for (const op of ops) {
      const o = step(w, op);
      expect(o.kind, op.type).toBe('ok');
      w = o.world;
    }
    const virq = Math.min(
      ...Object.values(w.irqs)
        .filter((d) => d.owner?.kind === 'msi')
        .map((d) => d.virq),
    );
    const o = step(w, { type: 'requestIrq', virq, dev: plat, devm: false });
    expect(o.kind).toBe('ok');
    // the platform-MSI level's message is the vector's, composed below the PCI-MSI level
    const [top, , root] = o.world.irqs[virq]!.levels;
    const vec = root!.chip as { kind: string; cfgVector: number; cfgCpu: number };
    expect(vec.kind).toBe('vector');
    expect(top!.chip).toMatchObject({ kind: 'msi', msg: { format: 'direct', vector: vec.cfgVector, cpu: vec.cfgCpu } });
  });

  const targets = kernelVersions.flatMap((kernel) =>
    Object.keys(platformConfigs)
      // spr: the small platform's rules at real sizes (slow, nothing new to reach)
      .filter((config) => config !== 'spr' && (kernel === '6.2' || !platformConfigs[config]!.gicIts))
      .map((config) => [kernel, config] as const),
  );

  it.each(targets)('misuse campaigns on %s / %s run to their end without an exception', (kernel, config) => {
    const run = () =>
      runCheck({
        design: 'kernel',
        kernel,
        quirks: true,
        config,
        mode: 'any',
        runs: 25,
        seed: 11,
        minSteps: 25,
        maxSteps: 50,
        certify: 0,
      });
    expect(run).not.toThrow();
  });
});
