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
import { readFileSync, writeFileSync } from 'node:fs';
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
import { extractFunction } from './extract.ts';
import {
  type IrteKind,
  irteCallLine,
  irteInput,
  irteKinds,
  irteModelLines,
  type IrteSequence,
  irteSequence,
  irteSetupLine,
} from './irte.ts';

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

/** what the comparison needs to know of a harness: its sequences, both sides' lines, their reading */
interface Subject<S> {
  readonly harness: string;
  input(seqs: readonly S[]): string;
  calls(seq: S): readonly { readonly op: string }[];
  withCalls(seq: S, calls: readonly { readonly op: string }[]): S;
  model(seq: S): string[];
  /** the sequence as the harness reads it, for the report */
  show(seq: S): string[];
  /** after this line nothing more is compared (a BUG), and only its head is */
  bugged(line: string): boolean;
  observable(kernel: string, model: string): string;
}

/** the first step where the kernel's and the model's lines differ */
function firstDivergence<S>(sub: Subject<S>, seq: S, kernel: readonly string[]): Divergence | null {
  const model = sub.model(seq);
  for (let i = 0; i < model.length; i++) {
    const k = kernel[i] ?? '';
    const m = model[i]!;
    const bugged = sub.bugged(m) || sub.bugged(k);
    if (bugged ? headOf(k) !== headOf(m) : k !== m) {
      const call = i === 0 ? 'boot' : sub.calls(seq)[i - 1]!.op;
      return { step: i, cls: `${call}: ${sub.observable(k, m)}`, kernel: k, model: m };
    }
    if (bugged) return null;
  }
  return null;
}

/** run @seqs through the C harness: the output lines of each sequence */
function runHarness<S>(sub: Subject<S>, bin: string, seqs: readonly S[]): string[][] {
  const r = spawnSync(bin, [], { input: sub.input(seqs), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`harness ${bin} exited with ${r.status}: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  let at = 0;
  return seqs.map((s) => {
    const n = 1 + sub.calls(s).length;
    const mine = lines.slice(at, at + n);
    at += n;
    return mine;
  });
}

/** greedy: drop calls while the first divergence keeps its class */
function shrink<S>(sub: Subject<S>, bin: string, seq: S, d0: Divergence): S {
  let best = sub.withCalls(seq, sub.calls(seq).slice(0, d0.step));
  for (let changed = true; changed; ) {
    changed = false;
    const cs = sub.calls(best);
    const cands = cs.map((_, i) =>
      sub.withCalls(
        best,
        cs.filter((__, j) => j !== i),
      ),
    );
    const outs = runHarness(sub, bin, cands);
    for (let i = 0; i < cands.length; i++) {
      const d = firstDivergence(sub, cands[i]!, outs[i]!);
      if (d?.cls === d0.cls) {
        best = sub.withCalls(cands[i]!, sub.calls(cands[i]!).slice(0, d.step));
        changed = true;
        break;
      }
    }
  }
  return best;
}

/** run @kinds x @per sequences; print the classes; the number of unexplained ones */
function compareAll<S>(
  sub: Subject<S>,
  bin: string,
  title: string,
  kinds: readonly string[],
  per: number,
  make: (kind: string, i: number) => S,
  known: readonly Known[],
  version: string,
): number {
  const classes = new Map<string, { count: number; kind: string; seq: S; d: Divergence }>();
  let steps = 0;
  for (const [ki, kind] of kinds.entries()) {
    for (let from = 0; from < per; from += 500) {
      const seqs = Array.from({ length: Math.min(500, per - from) }, (_, i) => make(kind, ki * 1_000_003 + from + i));
      const outs = runHarness(sub, bin, seqs);
      for (let i = 0; i < seqs.length; i++) {
        steps += sub.calls(seqs[i]!).length;
        const d = firstDivergence(sub, seqs[i]!, outs[i]!);
        if (!d) continue;
        const c = classes.get(d.cls);
        if (c) c.count++;
        else classes.set(d.cls, { count: 1, kind, seq: seqs[i]!, d });
      }
    }
  }
  console.log(
    `${title}: ${per * kinds.length} sequences (${kinds.join(', ')}: ${per} each), ${steps} calls, ${classes.size} divergence class(es)`,
  );
  let unexplained = 0;
  for (const [cls, c] of [...classes.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const k = known.find((x) => x.harness === sub.harness && x.class === cls && (!x.kernel || x.kernel === version));
    if (!k) unexplained++;
    console.log(`\n  ${k ? 'known' : 'UNEXPLAINED'}: ${cls} (${c.count} sequence(s), first in ${c.kind})`);
    if (k) console.log(`    reason: ${k.reason}`);
    const small = shrink(sub, bin, c.seq, c.d);
    const d = firstDivergence(sub, small, runHarness(sub, bin, [small])[0]!) ?? c.d;
    console.log(`    minimal sequence (${sub.calls(small).length} call(s)):`);
    for (const l of sub.show(small)) console.log(`      ${l}`);
    console.log(`    kernel: ${d.kernel}\n    model:  ${d.model}`);
  }
  return unexplained;
}

/** the kernel's own version, from the top Makefile */
function makefileVersion(root: string): string {
  const mk = readFileSync(join(root, 'Makefile'), 'utf8');
  const get = (k: string) => new RegExp(`^${k} = (\\S*)`, 'm').exec(mk)?.[1] ?? '?';
  return `${get('VERSION')}.${get('PATCHLEVEL')}.${get('SUBLEVEL')}`;
}

/** what the model is told about each source (see MatrixSourceTraits): both have a0b0bad10587 and c93a5e20c3c2 */
const matrixTraits: MatrixSourceTraits = { allocatedExcludesManaged: true, freeVersion: '6.2' };

const matrixSubject: Subject<MatrixSequence> = {
  harness: 'matrix',
  input: harnessInput,
  calls: (s) => s.calls,
  withCalls: (s, calls) => ({ ...s, calls: calls as MatrixSequence['calls'] }),
  model: (s) => modelLines(s, matrixTraits),
  show: (s) => [setupLine(s.setup), ...s.calls.map(callLine)],
  bugged: (l) => headOf(l).split(' ')[3] !== '-',
  observable,
};

const irteSubject: Subject<IrteSequence> = {
  harness: 'irte',
  input: irteInput,
  calls: (s) => s.calls,
  withCalls: (s, calls) => ({ ...s, calls: calls as IrteSequence['calls'] }),
  model: irteModelLines,
  show: (s) => [irteSetupLine(s), ...s.calls.map(irteCallLine)],
  bugged: () => false,
  observable: (k, m) => (headOf(k) !== headOf(m) ? 'return/block' : 'bitmap'),
};

/** the bitmap region helpers: lib/bitmap.c in 6.1, static inlines of include/linux/bitmap.h since 6.7 */
const regionHelpers: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  old: ['lib/bitmap.c', ['__reg_op', 'bitmap_find_free_region', 'bitmap_release_region']],
  new: ['include/linux/bitmap.h', ['bitmap_allocate_region', 'bitmap_find_free_region', 'bitmap_release_region']],
};

function conformKernel(version: string, total: number, seed: number, known: readonly Known[]): number {
  const irr = 'drivers/iommu/intel/irq_remapping.c';
  const src = kernelSource(version, ['Makefile', 'kernel/irq/matrix.c', irr, 'lib/bitmap.c', 'include/linux/bitmap.h']);
  if (!src) {
    console.log(
      `${version}: skipped, ${tarballOf(version)} is not installed (apt-get install linux-source-${version})`,
    );
    return -1;
  }
  const full = makefileVersion(src.root);
  const matrixBin = buildHarness('matrix', src, { MATRIX_C: join(src.root, 'kernel/irq/matrix.c') });
  const kinds = sequenceKinds as readonly SequenceKind[];
  let unexplained = compareAll(
    matrixSubject,
    matrixBin,
    `matrix on ${full} (kernel/irq/matrix.c)`,
    kinds,
    Math.ceil(total / kinds.length),
    (kind, i) => matrixSequence(kind as SequenceKind, (seed * 7919 + i) >>> 0, matrixTraits),
    known,
    version,
  );
  // the IRTE allocator: its functions copied out of the sources (the file needs the whole kernel)
  const bitmapC = readFileSync(join(src.root, 'lib/bitmap.c'), 'utf8');
  const [file, names] = regionHelpers[bitmapC.includes('int bitmap_find_free_region(') ? 'old' : 'new']!;
  const extracted = [
    ...names.map((n) => extractFunction(join(src.root, file), n)),
    extractFunction(join(src.root, irr), 'alloc_irte'),
    extractFunction(join(src.root, irr), 'clear_entries'),
  ].join('\n');
  const extractedPath = join(src.root, '..', 'irte-extracted.c');
  writeFileSync(extractedPath, extracted);
  const irteBin = buildHarness('irte', src, { EXTRACTED: extractedPath });
  console.log('');
  unexplained += compareAll(
    irteSubject,
    irteBin,
    `IRTE allocator on ${full} (${irr} alloc_irte/clear_entries, ${file} region helpers)`,
    irteKinds,
    Math.ceil(total / irteKinds.length),
    (kind, i) => irteSequence(kind as IrteKind, (seed * 104729 + i) >>> 0),
    known,
    version,
  );
  console.log('');
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
    const u = conformKernel(v.trim(), o.sequences, o.seed, known);
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
