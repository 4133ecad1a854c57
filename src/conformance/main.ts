/*
 * src/conformance/main.ts - `npm run conformance`: the model against the real kernel C code
 *
 * For every installed Debian linux-source package (6.1, 6.12): build conformance/matrix/harness.c
 * around the unmodified kernel/irq/matrix.c, drive it and models/kernel/irq/matrix.ts with the
 * same seeded sequences (well-formed, hotplug, misuse), compare every observable after every
 * call, and print the divergences by class, each with a minimal sequence (greedy step deletion).
 * A class listed in conformance/known-simplifications.json (with its reason) is accepted; any
 * other fails the run (exit 1). Bad flags: one line, exit 2. No kernel installed: one line, exit 0
 * (or 1 with --require).
 *   --sequences N   per kernel, split over the three kinds (default 10000)
 *   --seed S        (default 1)     --kernels 6.1,6.12     --require
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { buildHarness, kernelSource, tarballOf } from './kernel-source.ts';
import {
  callLine,
  harnessInput,
  headOf,
  type MatrixSequence,
  type MatrixSourceTraits,
  modelLines,
  setupLine,
} from './matrix-protocol.ts';
import { matrixSequence, type SequenceKind, sequenceKinds } from './matrix-sequences.ts';

interface Known {
  readonly harness: string;
  readonly kernel?: string;
  readonly class: string;
  readonly reason: string;
}

interface Divergence {
  readonly step: number;
  readonly cls: string;
  readonly kernel: string;
  readonly model: string;
}

const globalNames = ['global_available', 'global_reserved', 'total_allocated', 'online_maps', 'systembits_inalloc'];
const headNames = ['return', 'mapped_cpu', 'WARN', 'BUG'];
const cpuNames = [
  'online+initialized',
  'available',
  'allocated',
  'managed',
  'managed_allocated',
  'irq_matrix_allocated()',
  'irq_matrix_available(cpudown)',
  'alloc_map',
  'managed_map',
];

/** which observable differs first: the class is "<call>: <observable>" */
function observable(kernel: string, model: string): string {
  const ks = kernel.split(' | ');
  const ms = model.split(' | ');
  const diff = (a: string, b: string, names: readonly string[]) => {
    const x = a.trim().split(' ');
    const y = b.trim().split(' ');
    for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return names[i] ?? `field ${i}`;
    return null;
  };
  const h = diff(ks[0]!, ms[0]!, headNames);
  if (h) return h;
  const g = diff(ks[1]!.split('|')[0]!, ms[1]!.split('|')[0]!, globalNames);
  if (g) return g;
  if (ks[1]!.split('|')[1] !== ms[1]!.split('|')[1]) return 'system_map';
  for (let c = 2; c < Math.max(ks.length, ms.length); c++) {
    const d = diff(ks[c] ?? '', ms[c] ?? '', cpuNames);
    if (d) return `cpumap.${d}`;
  }
  return 'line';
}

/** the first step where the kernel's and the model's lines differ (a BUG: only the heads) */
function firstDivergence(
  seq: MatrixSequence,
  kernel: readonly string[],
  traits: MatrixSourceTraits,
): Divergence | null {
  const model = modelLines(seq, traits);
  for (let i = 0; i < model.length; i++) {
    const k = kernel[i] ?? '';
    const m = model[i]!;
    const bugged = headOf(m).split(' ')[3] !== '-' || headOf(k).split(' ')[3] !== '-';
    if (bugged ? headOf(k) !== headOf(m) : k !== m) {
      const call = i === 0 ? 'boot' : seq.calls[i - 1]!.op;
      return { step: i, cls: `${call}: ${observable(k, m)}`, kernel: k, model: m };
    }
    if (bugged) return null;
  }
  return null;
}

/** run @seqs through the C harness: the output lines of each sequence */
function runHarness(bin: string, seqs: readonly MatrixSequence[]): string[][] {
  const r = spawnSync(bin, [], { input: harnessInput(seqs), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`harness ${bin} exited with ${r.status}: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  let at = 0;
  return seqs.map((s) => {
    const n = 1 + s.calls.length;
    const mine = lines.slice(at, at + n);
    at += n;
    return mine;
  });
}

/** greedy: drop calls while the first divergence keeps its class */
function shrink(bin: string, seq: MatrixSequence, cls: string, traits: MatrixSourceTraits): MatrixSequence {
  let best: MatrixSequence = { ...seq, calls: seq.calls.slice(0, firstDivergenceStep(bin, seq, traits)) };
  for (let changed = true; changed; ) {
    changed = false;
    const cands = best.calls.map((_, i) => ({ ...best, calls: best.calls.filter((__, j) => j !== i) }));
    const outs = runHarness(bin, cands);
    for (let i = 0; i < cands.length; i++) {
      const d = firstDivergence(cands[i]!, outs[i]!, traits);
      if (d?.cls === cls) {
        best = { ...cands[i]!, calls: cands[i]!.calls.slice(0, d.step) };
        changed = true;
        break;
      }
    }
  }
  return best;
}

function firstDivergenceStep(bin: string, seq: MatrixSequence, traits: MatrixSourceTraits): number {
  const d = firstDivergence(seq, runHarness(bin, [seq])[0]!, traits);
  return d ? d.step : seq.calls.length;
}

/** the kernel's own version, from the top Makefile */
function makefileVersion(root: string): string {
  const mk = readFileSync(join(root, 'Makefile'), 'utf8');
  const get = (k: string) => new RegExp(`^${k} = (\\S*)`, 'm').exec(mk)?.[1] ?? '?';
  return `${get('VERSION')}.${get('PATCHLEVEL')}.${get('SUBLEVEL')}`;
}

/** what the model is told about each source (see MatrixSourceTraits): both have a0b0bad10587 and c93a5e20c3c2 */
const matrixTraits: MatrixSourceTraits = { allocatedExcludesManaged: true, freeVersion: '6.2' };

function conformMatrix(version: string, total: number, seed: number, known: readonly Known[]): number {
  const src = kernelSource(version, ['Makefile', 'kernel/irq/matrix.c']);
  if (!src) {
    console.log(
      `matrix on ${version}: skipped, ${tarballOf(version)} is not installed (apt-get install linux-source-${version})`,
    );
    return -1;
  }
  const full = makefileVersion(src.root);
  const bin = buildHarness('matrix', src, { MATRIX_C: 'kernel/irq/matrix.c' });
  const classes = new Map<string, { count: number; kind: SequenceKind; seq: MatrixSequence; d: Divergence }>();
  const per = Math.ceil(total / sequenceKinds.length);
  let steps = 0;
  for (const [ki, kind] of sequenceKinds.entries()) {
    for (let from = 0; from < per; from += 500) {
      const seqs = Array.from({ length: Math.min(500, per - from) }, (_, i) =>
        matrixSequence(kind, (seed * 7919 + ki * 1_000_003 + from + i) >>> 0, matrixTraits),
      );
      const outs = runHarness(bin, seqs);
      for (let i = 0; i < seqs.length; i++) {
        steps += seqs[i]!.calls.length;
        const d = firstDivergence(seqs[i]!, outs[i]!, matrixTraits);
        if (!d) continue;
        const c = classes.get(d.cls);
        if (c) c.count++;
        else classes.set(d.cls, { count: 1, kind, seq: seqs[i]!, d });
      }
    }
  }
  console.log(
    `matrix on ${full} (kernel/irq/matrix.c): ${per * sequenceKinds.length} sequences (${sequenceKinds.join(', ')}: ${per} each), ${steps} calls, ${classes.size} divergence class(es)`,
  );
  let unexplained = 0;
  for (const [cls, c] of [...classes.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const k = known.find((x) => x.harness === 'matrix' && x.class === cls && (!x.kernel || x.kernel === version));
    if (!k) unexplained++;
    console.log(`\n  ${k ? 'known' : 'UNEXPLAINED'}: ${cls} (${c.count} sequence(s), first in ${c.kind})`);
    if (k) console.log(`    reason: ${k.reason}`);
    const small = shrink(bin, c.seq, cls, matrixTraits);
    const kernelOut = runHarness(bin, [small])[0]!;
    const d = firstDivergence(small, kernelOut, matrixTraits) ?? c.d;
    console.log(`    minimal sequence (${small.calls.length} call(s)):`);
    for (const l of [setupLine(small.setup), ...small.calls.map(callLine)]) console.log(`      ${l}`);
    console.log(`    kernel: ${d.kernel}\n    model:  ${d.model}`);
  }
  return unexplained;
}

function main(argv: readonly string[]): number {
  const positive = (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
    return n;
  };
  const program = new Command('conformance')
    .option('--sequences <n>', 'sequences per kernel', positive, 10000)
    .option('--seed <n>', 'seed', positive, 1)
    .option('--kernels <list>', 'Debian linux-source versions', '6.1,6.12')
    .option('--require', 'fail when no kernel source is installed', false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] ? `${s.split('\n')[0]}\n` : '') });
  try {
    program.parse(argv, { from: 'user' });
  } catch {
    return 2;
  }
  const o = program.opts<{ sequences: number; seed: number; kernels: string; require: boolean }>();
  const known = JSON.parse(readFileSync('conformance/known-simplifications.json', 'utf8')) as Known[];
  const t0 = Date.now();
  let ran = 0;
  let unexplained = 0;
  for (const v of o.kernels.split(',')) {
    const u = conformMatrix(v.trim(), o.sequences, o.seed, known);
    if (u >= 0) ran++, (unexplained += u);
  }
  console.log(`\ntiming: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (ran === 0) {
    console.log('conformance: no kernel source installed: nothing compared');
    return o.require ? 1 : 0;
  }
  console.log(
    unexplained
      ? `conformance: ${unexplained} unexplained divergence class(es)`
      : 'conformance: no unexplained divergence',
  );
  return unexplained ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
