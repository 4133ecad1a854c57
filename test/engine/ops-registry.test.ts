/*
 * The operation registry (models/ops.ts): every operation is one complete definition, and the
 * counterexample file format round-trips every call generation makes (file -> JSON -> parse gives
 * the same call, key order included: seeds and reports depend on it).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { opDef, opDefs, opTypes, type Op } from '../../models/ops.ts';
import { defineOp } from '../../models/ops/op.ts';
import { platformConfigs } from '../../models/world/platform.ts';
import { KERNEL_DESIGN } from '../../models/designs/index.ts';
import { worldFor } from '../../src/run/check.ts';
import { generateSequences } from '../../src/run/campaign.ts';
import { runChoices } from '../../src/run/run.ts';
import { describeCall } from '../../src/report/call.ts';
import { parseCounterexample, toCounterexampleFile } from '../../src/report/counterexample.ts';
import { enumerateOps } from '../../src/search/explore-args.ts';
import { workloadOpTypes } from '../../src/generate/workload.ts';

describe('the operation registry', () => {
  it('lists every operation once, under its own name, with every part', () => {
    expect(opTypes).toEqual(Object.keys(opDefs));
    expect(new Set(opTypes).size).toBe(opTypes.length);
    for (const type of opTypes) {
      const def = opDef(type);
      expect(def.type).toBe(type);
      expect(def.args).toBeInstanceOf(z.ZodObject);
      for (const part of ['step', 'render', 'candidates', 'handle', 'build'] as const)
        expect(typeof def[part], `${type}.${part}`).toBe('function');
      expect(def.explore === 'variants' || typeof def.explore === 'function', `${type}.explore`).toBe(true);
      for (const part of ['prefer', 'recentKeys'] as const)
        expect(['undefined', 'function'], `${type}.${part}`).toContain(typeof def[part]);
    }
  });

  it('does not compile an operation with a part missing', () => {
    const parts = {
      step: (w: Parameters<typeof opDefs.freeIrq.step>[0]) => ({ kind: 'ok' as const, world: w, value: undefined }),
      candidates: () => [1, 2],
      handle: (virq: number) => ({ virq }),
      build: (_w: unknown, _m: unknown, _c: unknown, virq: number) => ({ type: 'example' as const, virq }),
      explore: 'variants' as const,
    };
    // @ts-expect-error: render is missing
    const def = defineOp('example', z.object({ virq: z.number() }))(parts);
    expect(def.type).toBe('example');
  });
});

/** calls generated on every platform, kernel and caller mode, plus the explorer's alphabet */
function generatedOps(): { config: string; kernel: '5.10' | '6.2'; op: Op; w: Parameters<typeof describeCall>[0] }[] {
  const out: ReturnType<typeof generatedOps> = [];
  for (const config of Object.keys(platformConfigs)) {
    for (const kernel of ['5.10', '6.2'] as const) {
      let w0: Parameters<typeof describeCall>[0];
      try {
        w0 = worldFor({ design: KERNEL_DESIGN, kernel, quirks: true, config });
      } catch {
        continue; // a platform modelled on one kernel only
      }
      for (const mode of ['legal', 'any'] as const) {
        for (const s of generateSequences({ runs: 8, minSteps: 30, maxSteps: 40, seed: 5 })) {
          let w = w0;
          for (const t of runChoices(w0, s, { mode, check: false }).trace) {
            out.push({ config, kernel, op: t.op, w });
            for (const op of enumerateOps(w, [t.op.type])) out.push({ config, kernel, op, w });
            w = opDef(t.op.type).step(w, t.op).world;
          }
        }
      }
    }
  }
  // a design's driver-level workload: the mdev operations happen there
  for (const design of ['rfc-v2-dev-msi', 'per-device-msi']) {
    const w0 = worldFor({ design, kernel: '6.2', quirks: true, config: 'small' });
    const kernel = w0.profile.version === '5.10' ? '5.10' : '6.2';
    for (const s of generateSequences({ runs: 20, minSteps: 40, maxSteps: 50, seed: 5 })) {
      let w = w0;
      for (const t of runChoices(w0, s, {
        mode: 'legal',
        types: workloadOpTypes,
        universe: workloadOpTypes,
        check: false,
      }).trace) {
        out.push({ config: 'small', kernel, op: t.op, w });
        for (const op of enumerateOps(w, workloadOpTypes)) out.push({ config: 'small', kernel, op, w });
        w = opDef(t.op.type).step(w, t.op).world;
      }
    }
  }
  return out;
}

describe('the counterexample schema', () => {
  let cached: ReturnType<typeof generatedOps> | undefined;
  const all = () => (cached ??= generatedOps());

  it('generation reaches every operation somewhere', () => {
    const seen = new Set(all().map((x) => x.op.type));
    expect(opTypes.filter((t) => !seen.has(t))).toEqual([]);
  });

  it('parse(file(op)) gives back every generated call, and each renders', () => {
    const bad: string[] = [];
    for (const { config, kernel, op, w } of all()) {
      const file = toCounterexampleFile(
        {
          design: KERNEL_DESIGN,
          kernel,
          quirks: [],
          config,
          mode: 'any',
          invariant: 'x',
          category: 'lifetime',
          message: '',
        },
        [{ op, outcome: 'ok' }],
      );
      const back = parseCounterexample(JSON.stringify(file)).ops[0];
      if (JSON.stringify(back) !== JSON.stringify(op)) bad.push(`${JSON.stringify(op)} -> ${JSON.stringify(back)}`);
      if (describeCall(w, op).length === 0) bad.push(`${op.type} renders empty`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
