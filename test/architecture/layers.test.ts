/*
 * test/architecture/layers.test.ts - the layering of models/ (and of src/, properties/) holds
 *
 * dependency-cruiser, through its API, with the repository's own rules (.dependency-cruiser.cjs):
 * no import cycle (type-only imports count), the core (models/world, models/kernel) includes no
 * arch code, driver, design or fault, and only models/machine/ composes them. A second test
 * runs the same rules over a small, deliberately badly layered fixture to show they can fail.
 */
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { domainOpsOf, irqChipOf } from '../../models/kernel/irq/registry.ts';
import { deviceDriverOf } from '../../models/drivers/base/driver.ts';
import type { DomainKind } from '../../models/world/types.ts';

const CONFIG = './.dependency-cruiser.cjs';

/** a violation as the CLI's `err` reporter prints it: rule, from -> to, and the cycle if any */
function describeViolation(v: IViolation): string {
  const cycle = v.cycle?.length ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')})` : '';
  return `${v.rule.name}: ${v.from} -> ${v.to}${cycle}`;
}

async function violations(files: string[], baseDir?: string): Promise<string[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const r = await cruise(
    files,
    { ...options, validate: true, ...(baseDir ? { baseDir } : {}) },
    {},
    { tsConfig: extractTSConfig('tsconfig.json') },
  );
  const out = r.output as ICruiseResult;
  return out.summary.violations.map(describeViolation);
}

describe('layering (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  it('models/, src/ and properties/ have no violation', async () => {
    const found = await violations(['models', 'src', 'properties']);
    expect(found, `${found.length} layering violation(s):\n${found.join('\n')}`).toEqual([]);
  });

  it('the rules catch a driver included by the world and the core, and a type-only cycle', async () => {
    const found = await violations(['models'], 'test/architecture/fixtures/bad-layering');
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^world-is-the-bottom: models\/world\/state\.ts -> models\/drivers\/gadget\.ts/),
        expect.stringMatching(
          /^core-never-includes-a-driver: models\/kernel\/irq\/core\.ts -> models\/drivers\/gadget\.ts/,
        ),
        expect.stringMatching(/^no-cycles: /),
      ]),
    );
  });
});

describe('the ops tables models/machine fills (models/kernel/irq/registry.ts)', () => {
  it('every domain kind has its irq_domain_ops and irq_chip; an unknown kind fails naming it', () => {
    for (const k of ['vector', 'ir', 'msi', 'ioapic', 'its', 'mbigen', 'vmd', 'wired'] satisfies DomainKind[]) {
      expect(domainOpsOf(k).alloc).toBeTypeOf('function');
      expect(irqChipOf(k).setAffinity).toBeTypeOf('function');
    }
    expect(() => domainOpsOf('gpio' as DomainKind)).toThrow(/no struct irq_domain_ops for kind 'gpio'/);
    expect(() => deviceDriverOf('e1000e')).toThrow(/no struct device_driver registered as 'e1000e'/);
  });
});
