/*
 * src/cli/main.ts - the irqcheck command line
 *
 * Exit codes: 0 nothing violated (or a listing), 1 an invariant is violated / a replay still
 * fails, 2 bad input (one line on stderr, never a stack trace).
 */
import { Command, CommanderError, Option } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { invariants, categories } from '../../properties/index.ts';
import { platformConfigs } from '../../models/world/platform.ts';
import {
  designKernelLabel,
  kernelVersions,
  type KernelVersion,
  profileVersions,
  refuseDesignKernel,
} from '../../models/world/profile.ts';
import { runCheck, runChecksParallel, worldFor, type CheckRun, type CheckSpec } from '../run/check.ts';
import { builtinDesigns, KERNEL_DESIGN, type Design } from '../../models/designs/index.ts';
import { DesignError, resolveDesign } from '../load/load-design.ts';
import { availableParallelism } from 'node:os';
import { renderMatrix, renderRunText, saveCounterexamples, toResultJson } from '../report/results.ts';
import { renderCompareMarkdown, renderKernelModelMarkdown } from '../report/compare.ts';
import { replayCounterexample, ReplayError } from '../run/replay.ts';
import { toKunit, toVitest } from '../report/export.ts';
import { DEFAULT_CORPUS } from '../report/corpus.ts';
import { formatTrace } from '../report/trace.ts';
import { describeDiff } from '../report/diff.ts';
import { explore, type ExploreProgress, type ExploreResult } from '../search/explore.ts';
import { exploreShard, mergeShards, parseShard, type Shard, type ShardResult } from '../search/shard.ts';
import type { World } from '../../models/world/types.ts';
import { workloadOpTypes } from '../generate/workload.ts';
import { renderExplore } from '../report/explore.ts';
import { step } from '../../models/step.ts';
import { writeHtmlReport } from '../report/html/write.ts';
import { registerBenchCommands } from './bench.ts';
import { ceilings, int as intArg, list, writableDir, writableFile } from './args.ts';
import { toJunitXml } from '../report/junit.ts';
import { toGithubAnnotations } from '../report/annotations.ts';
import { modelCoverageSection, readModelCoverage, renderModelCoverage } from '../report/model-coverage.ts';
import { parseFaultIds } from './fault-option.ts';
import { opTypes } from '../../models/ops.ts';
import type { FaultId } from '../../models/faults/catalog.ts';

class InputError extends Error {}

const EXIT_CODES = `
Exit codes:
  0  nothing violated (compare: the campaigns ran, whatever they found, unless --fail-on-violation)
  1  an invariant is violated (check, explore, compare --fail-on-violation) or a replay still fails
  2  bad input: a flag, a design file, a counterexample file, an output place (one line on stderr)
  3  irqcheck itself failed (an internal error: one line on stderr; IRQCHECK_DEBUG=1 shows the stack)

Ceilings: --runs ${ceilings.runs}, --steps ${ceilings.steps}, --seed ${ceilings.seed}, --depth ${ceilings.depth}, --certify and --max-states ${ceilings.states}`;

/** the version in package.json (the launcher runs from the repository, no build step) */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** the arguments main() was called with (--coverage runs the same command again under V8 coverage) */
let commandLine: readonly string[] = [];
const UNDER_COVERAGE = 'IRQCHECK_UNDER_COVERAGE';

/**
 * --coverage: run the same command in a child process with NODE_V8_COVERAGE set (worker threads
 * included), then read the model's reach with c8: printed, in <out>/model-coverage.json, in the
 * JSON document (modelCoverage) and, for compare, as a section of index.html
 */
async function withModelCoverage(o: Record<string, unknown>, html: boolean): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'irqcheck-v8-'));
  try {
    const launcher = fileURLToPath(new URL('../../bin/irqcheck.js', import.meta.url));
    const child = spawnSync(process.execPath, [launcher, ...commandLine.filter((a) => a !== '--coverage')], {
      env: { ...process.env, NODE_V8_COVERAGE: tmp, [UNDER_COVERAGE]: '1' },
      stdio: ['inherit', o.json ? 'pipe' : 'inherit', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (child.status !== 0 && child.status !== 1) {
      process.exitCode = child.status ?? 2;
      return;
    }
    const cov = await readModelCoverage(tmp);
    const out = o.out as string;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'model-coverage.json'), `${JSON.stringify(cov, null, 2)}\n`);
    const index = join(out, 'index.html');
    if (html && existsSync(index))
      writeFileSync(index, readFileSync(index, 'utf8').replace('</body>', `${modelCoverageSection(cov)}\n</body>`));
    if (o.json)
      process.stdout.write(`${JSON.stringify({ ...JSON.parse(child.stdout), modelCoverage: cov }, null, 2)}\n`);
    else process.stdout.write(`${renderModelCoverage(cov)}\n`);
    process.exitCode = child.status;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** every place a campaign writes, checked before it starts: a long run must not die at the end */
function checkOutputs(o: Record<string, unknown>): void {
  const fail = (m: string) => new InputError(m);
  writableDir('--out', o.out as string, fail);
  const corpus = corpusDir(o);
  if (corpus) writableDir('--corpus', corpus, fail);
  if (o.junit) writableFile('--junit', o.junit as string, fail);
}

/**
 * the campaigns of one command: one per core on worker threads; in this process when there is
 * only one, or under --coverage (V8 writes no coverage for worker threads)
 */
async function runCampaigns(specs: readonly CheckSpec[], onDone?: () => void): Promise<CheckRun[]> {
  if (specs.length > 1 && !process.env[UNDER_COVERAGE])
    return runChecksParallel(specs, availableParallelism(), onDone && (() => onDone()));
  return specs.map((x) => {
    const r = runCheck(x);
    onDone?.();
    return r;
  });
}

/** --junit FILE: the results as JUnit XML */
function writeJunit(
  file: string,
  results: Parameters<typeof toJunitXml>[0],
  only: readonly string[] | undefined,
): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, toJunitXml(results, only));
  } catch (e) {
    throw new InputError(`--junit ${file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

const rate = (n: number, since: number): number => Math.round((n / Math.max(1, performance.now() - since)) * 1000);

const int = (name: string, min: number, max: number) => intArg(name, min, max, (m) => new InputError(m));

/** --only: invariant ids and/or category names, comma-separated */
function parseOnly(v: string, prev: string[] = []): string[] {
  const ids: string[] = [...prev];
  for (const word of list('--only', (m) => new InputError(m))(v)) {
    const inCategory = invariants.filter((i) => i.category === word).map((i) => i.id);
    if (inCategory.length) ids.push(...inCategory);
    else if (invariants.some((i) => i.id === word)) ids.push(word);
    else
      throw new InputError(`--only: '${word}' is neither an invariant id nor a category (see 'irqcheck invariants')`);
  }
  return ids;
}

/** --design: names and/or paths, comma-separated or repeated */
const collect = list('--design', (m) => new InputError(m));

/** resolve every --design argument (loading files); bad ones are input errors */
async function designsFrom(args: readonly string[]): Promise<{ design: Design; file: string | null }[]> {
  const out: { design: Design; file: string | null }[] = [];
  for (const a of args) {
    try {
      const d = await resolveDesign(a);
      if (!out.some((x) => x.design === d.design)) out.push(d);
    } catch (e) {
      if (e instanceof DesignError) throw new InputError(e.message);
      throw e;
    }
  }
  return out;
}

/** a design under the driver-level workload (its own kernel profile) */
/** a design runs on its own kernel; an explicit --kernel another one is refused (IMS: 6.2 only) */
function refuseKernel(o: Record<string, unknown>, d: Design): void {
  const why = o.kernelGiven ? refuseDesignKernel(d.name, d.kernel, o.kernel as KernelVersion) : null;
  if (why) throw new InputError(why);
}

function designSpec(o: Record<string, unknown>, d: { design: Design; file: string | null }): CheckSpec {
  refuseKernel(o, d.design);
  if (platformConfigs[o.config as string]?.gicIts)
    throw new InputError(`--config ${o.config as string}: the designs run on x86 platforms only`);
  return {
    ...specFrom(o, d.design.kernel, 'legal'),
    design: d.design.name,
    designFile: d.file,
    mode: 'workload',
    ...(o.engine === 'hybrid' ? { engine: 'hybrid' as const } : {}),
  };
}

function specFrom(o: Record<string, unknown>, kernel: KernelVersion, mode: 'legal' | 'any'): CheckSpec {
  const steps = o.steps as number;
  // a GIC-ITS platform exists only in the per-device MSI domain era of the model
  if (platformConfigs[o.config as string]?.gicIts && kernel !== '6.2')
    throw new InputError(`--config ${o.config as string} is modelled on kernel 6.2 only`);
  return {
    ...(o.only ? { only: o.only as string[] } : {}),
    ...(o.fault ? { faults: o.fault as FaultId[] } : {}),
    design: KERNEL_DESIGN,
    kernel,
    quirks: o.quirks !== 'off',
    config: o.config as string,
    mode,
    runs: o.runs as number,
    seed: o.seed as number,
    minSteps: Math.max(1, Math.floor(steps / 2)),
    maxSteps: steps,
    certify: o.certify as number,
  };
}

function writeReports(
  runs: readonly CheckRun[],
  out: string,
  corpus: string | null,
): Map<CheckRun, Map<string, string>> {
  const files = new Map<CheckRun, Map<string, string>>();
  for (const r of runs) files.set(r, saveCounterexamples(r, join(out, 'counterexamples'), corpus));
  return files;
}

/**
 * --corpus: only when asked (scripts/reference-reports.sh asks for properties/corpus), so the
 * README's commands never add files to a checkout
 */
const corpusDir = (o: Record<string, unknown>): string | null =>
  o.corpus === undefined || o.corpus === 'none' ? null : (o.corpus as string);

/** bad input: one line on stderr, exit 2 */
const inputFail = (m: string): never => {
  throw new InputError(m);
};

/** explore and merge: the design, booted world and alphabet of --design/--kernel/--config/--quirks/--fault */
async function exploreSetup(o: Record<string, unknown>) {
  const [d] = o.design === KERNEL_DESIGN ? [null] : await designsFrom([o.design as string]);
  if (d) refuseKernel(o, d.design);
  const spec = {
    design: d ? d.design.name : KERNEL_DESIGN,
    kernel: (d ? d.design.kernel : o.kernel) as KernelVersion,
    quirks: o.quirks !== 'off',
    config: o.config as string,
    ...(o.fault ? { faults: o.fault as FaultId[] } : {}),
  };
  // a design is explored under its driver-level workload; the kernel model under every call a caller can make
  return { spec, w0: worldFor(spec), types: d ? workloadOpTypes : opTypes };
}

const onlyOf = (o: Record<string, unknown>) => (o.only ? { only: new Set(o.only as string[]) } : {});

/** what a shard records of its command line, for merge to boot the same world and print the same report */
const exploreArgs = (o: Record<string, unknown>) =>
  Object.fromEntries(['design', 'kernel', 'config', 'quirks', 'fault', 'only', 'depth'].map((k) => [k, o[k] ?? null]));

/** the report of a search (explore, merge): text or --json; timing is the one part that differs */
function printExplore(
  o: Record<string, unknown>,
  spec: { design: string; kernel: string; config: string },
  w0: World,
  r: ExploreResult,
  timingText: string,
  timing: Record<string, number>,
): void {
  if (o.json) {
    const violations = r.violations.map((v) => ({
      invariant: v.invariant,
      category: v.category,
      message: v.message,
      length: v.ops.length,
      minimal: true,
      trace: v.ops.map(({ type, ...args }) => ({ op: type, args })),
    }));
    process.stdout.write(
      `${JSON.stringify(
        {
          design: spec.design,
          kernel: spec.kernel,
          config: spec.config,
          depth: o.depth,
          depthReached: r.depthReached,
          complete: r.complete,
          states: r.states,
          transitions: r.transitions,
          layers: r.layers,
          opCoverage: r.opCoverage,
          violations,
          timing,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(`${renderExplore(w0, spec.design, o.depth as number, r)}\n\ntiming: ${timingText}\n`);
  }
  process.exitCode = r.violations.length > 0 ? 1 : 0;
}

/** the model a run boots and what it checks: --config, --quirks, --only (campaigns and explore) */
const modelOptions = (c: Command): Command =>
  c
    .addOption(
      new Option('--config <name>', 'platform configuration').choices(Object.keys(platformConfigs)).default('small'),
    )
    .addOption(
      new Option('--quirks <on|off>', "reproduce the real kernel's known deviations")
        .choices(['on', 'off'])
        .default('on'),
    )
    .addOption(
      new Option('--only <ids>', 'check only these invariants or categories (comma-separated)').argParser(parseOnly),
    );

const campaignOptions = (c: Command) =>
  modelOptions(c)
    .addOption(
      new Option('--runs <n>', 'generated sequences per campaign')
        .argParser(int('--runs', 1, ceilings.runs))
        .default(300),
    )
    .addOption(new Option('--seed <n>', 'random seed').argParser(int('--seed', 0, ceilings.seed)).default(1))
    .addOption(
      new Option('--steps <n>', 'maximum steps per sequence').argParser(int('--steps', 1, ceilings.steps)).default(50),
    )
    .addOption(
      new Option(
        '--certify <max-states>',
        'designs: certify each counterexample shortest by exhaustive search within this many states (0: off)',
      )
        .argParser(int('--certify', 0, ceilings.states))
        .default(1500),
    )
    .addOption(
      new Option(
        '--fault <ids>',
        'switch catalog bugs back on (comma-separated or repeated; see irqcheck faults)',
      ).argParser((v: string, p: FaultId[]) => parseFaultIds(v, p, (m) => new InputError(m))),
    )
    .option('--json', 'print one JSON document on stdout')
    .option('--junit <file>', 'also write the results as JUnit XML (a test case per campaign and invariant)')
    .option('--github', 'also print each violation as a GitHub Actions ::error annotation (on stderr)')
    .option(
      '--coverage',
      'measure which model code the campaign reached (V8 coverage read with c8): printed, in <out>/model-coverage.json and the HTML report',
    )
    .option('--out <dir>', 'where reports and counterexample files go', 'reports')
    .option(
      '--corpus <dir|none>',
      `also keep every counterexample in this regression corpus (the repository's: ${DEFAULT_CORPUS}); none by default`,
    );

export function buildCli(): Command {
  const program = new Command('irqcheck')
    .version(packageVersion(), '-V, --version')
    .description(
      'Property-based verification of the Linux IRQ-domain stack: generated alloc/free/assign/teardown sequences checked against kernel invariants',
    )
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(`${s.split('\n')[0]}\n`) })
    .addHelpText('after', EXIT_CODES);

  program
    .command('invariants')
    .description('list the invariants (id, category, statement, kernel rule)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const list = invariants.map(({ id, category, spec, statement, kernel, scope }) => ({
        id,
        category,
        spec,
        scope,
        statement,
        kernel,
      }));
      if (o.json) return void process.stdout.write(`${JSON.stringify({ invariants: list }, null, 2)}\n`);
      for (const cat of categories) {
        const mine = list.filter((i) => i.category === cat);
        if (!mine.length) continue;
        process.stdout.write(`\n${cat}\n`);
        for (const i of mine)
          process.stdout.write(
            `  ${i.id.padEnd(26)} ${i.spec.padEnd(4)} ${i.statement}\n${' '.repeat(34)}kernel: ${i.kernel}\n`,
          );
      }
    });

  program
    .command('designs')
    .description('list the built-in API designs (name, kernel, summary, description, assumptions)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const list = builtinDesigns().map((d) => ({
        name: d.name,
        kernel: d.kernel,
        label: designKernelLabel(d.name, d.kernel),
        features: d.features ?? [],
        summary: d.summary,
        description: d.description,
        assumptions: d.assumptions,
      }));
      if (o.json) return void process.stdout.write(`${JSON.stringify({ designs: list }, null, 2)}\n`);
      for (const d of list) {
        process.stdout.write(
          `\n${d.name}  (${designKernelLabel(d.name, d.kernel)}${d.features.length ? `, + ${d.features.join(', ')}` : ''})\n  ${d.summary}\n`,
        );
        for (const a of d.assumptions) process.stdout.write(`  assumes: ${a}\n`);
      }
    });

  campaignOptions(
    program
      .command('check')
      .description(
        'run designs under the driver-level workload (--design), or the kernel model under a generic caller; exit 1 if an invariant is violated',
      )
      .addOption(
        new Option(
          '--design <name|path>',
          'a built-in design or a design file (comma-separated or repeated)',
        ).argParser(collect),
      )
      .addOption(
        new Option(
          '--engine <engine>',
          'designs: random generation, or hybrid (random walks from the exhaustive frontier at depth 3)',
        )
          .choices(['random', 'hybrid'])
          .default('random'),
      )
      .addOption(
        new Option('--kernel <version>', 'kernel profile (without --design)')
          .choices(profileVersions as string[])
          .default('6.2'),
      )
      .addOption(
        new Option('--mode <mode>', 'without --design: legal (documented-legal calls) or any (misuse allowed)')
          .choices(['legal', 'any'])
          .default('any'),
      ),
  ).action(async (o: Record<string, unknown>, cmd: Command) => {
    o.kernelGiven = cmd.getOptionValueSource('kernel') === 'cli';
    checkOutputs(o);
    if (o.coverage && !process.env[UNDER_COVERAGE]) return withModelCoverage(o, false);
    const designs = o.design ? await designsFrom(o.design as string[]) : [];
    const specs = designs.length
      ? designs.map((d) => designSpec(o, d))
      : [specFrom(o, o.kernel as KernelVersion, o.mode as 'legal' | 'any')];
    const runs = await runCampaigns(specs);
    const files = writeReports(runs, o.out as string, corpusDir(o));
    const results = runs.map((r) => toResultJson(r, files.get(r)!));
    if (o.junit) writeJunit(o.junit as string, results, o.only as string[] | undefined);
    if (o.github) process.stderr.write(toGithubAnnotations(results));
    if (o.json)
      process.stdout.write(
        `${JSON.stringify({ results: runs.map((r) => toResultJson(r, files.get(r)!)) }, null, 2)}\n`,
      );
    else process.stdout.write(`${runs.map(renderRunText).join('\n\n')}\n`);
    process.exitCode = runs.some((r) => r.counterexamples.length > 0) ? 1 : 0;
  });

  campaignOptions(
    program
      .command('compare')
      .description(
        'every built-in design (and any --design file) x every invariant on the same workloads and seeds; writes reports/ (npm start)',
      )
      .addOption(
        new Option(
          '--design <name|path>',
          'designs to add to the built-in ones (comma-separated or repeated)',
        ).argParser(collect),
      )
      .option('--kernel-model', 'instead: the kernel model alone, every kernel profile x caller mode (legal, any)')
      .option('--fail-on-violation', 'exit 1 when any design breaks an invariant (for CI)'),
  ).action(async (o: Record<string, unknown>, cmd: Command) => {
    o.kernelGiven = cmd.getOptionValueSource('kernel') === 'cli';
    checkOutputs(o);
    if (o.coverage && !process.env[UNDER_COVERAGE]) return withModelCoverage(o, true);
    const tty = process.stderr.isTTY && !o.json;
    const extra = o.design ? await designsFrom(o.design as string[]) : [];
    const all = [
      ...builtinDesigns().map((design) => ({ design, file: null })),
      ...extra.filter((x) => !builtinDesigns().includes(x.design)),
    ];
    const specs = o.kernelModel
      ? kernelVersions.flatMap((kernel) => (['legal', 'any'] as const).map((mode) => specFrom(o, kernel, mode)))
      : all.map((d) => designSpec(o, d));
    let done = 0;
    const progress = () =>
      tty && process.stderr.write(`\rirqcheck compare: ${done}/${specs.length} campaigns, ${o.runs} runs each  `);
    progress();
    const runs = await runCampaigns(specs, () => {
      done++;
      progress();
    });
    if (tty) process.stderr.write(`\r${' '.repeat(70)}\r`);
    const out = o.out as string;
    const files = writeReports(runs, out, corpusDir(o));
    const results = runs.map((r) => toResultJson(r, files.get(r)!));
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'summary.json'), `${JSON.stringify({ results }, null, 2)}\n`);
    const meta = {
      seed: o.seed as number,
      runs: o.runs as number,
      steps: o.steps as number,
      config: o.config as string,
    };
    writeFileSync(
      join(out, 'summary.md'),
      o.kernelModel
        ? renderKernelModelMarkdown(runs, meta)
        : renderCompareMarkdown(runs, meta, files, join(out, 'summary.md')),
    );
    const html = await writeHtmlReport(runs, meta, files, out);
    if (o.junit) writeJunit(o.junit as string, results, o.only as string[] | undefined);
    if (o.github) process.stderr.write(toGithubAnnotations(results));
    const broken = runs.filter((r) => r.counterexamples.length > 0).length;
    if (o.json) process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
    else
      process.stdout.write(
        renderMatrix(runs, false) +
          `\n\n${broken} of ${runs.length} campaigns break at least one invariant\nreports written to ${out}/summary.md, ${out}/summary.json, ${out}/counterexamples/, ${html}\n`,
      );
    if (o.failOnViolation && broken > 0) process.exitCode = 1;
  });

  modelOptions(
    program
      .command('explore')
      .description(
        'exhaustive bounded search: every state reachable in at most K workload steps, shortest violations, or none up to K',
      )
      .requiredOption('--design <name|path>', 'a built-in design, a design file, or kernel (with --kernel)')
      .addOption(
        new Option('--depth <k>', 'maximum number of steps').argParser(int('--depth', 1, ceilings.depth)).default(4),
      )
      .addOption(
        new Option('--kernel <version>', 'kernel profile for --design kernel')
          .choices(profileVersions as string[])
          .default('6.2'),
      ),
  )
    .addOption(
      new Option('--max-states <n>', 'stop after this many distinct states').argParser(
        int('--max-states', 1, ceilings.states),
      ),
    )
    .addOption(
      new Option(
        '--fault <ids>',
        'switch catalog bugs back on (comma-separated or repeated; see irqcheck faults)',
      ).argParser((v: string, p: FaultId[]) => parseFaultIds(v, p, (m) => new InputError(m))),
    )
    .option('--json', 'print one JSON document on stdout')
    .addOption(
      new Option(
        '--shard <i/n>',
        'search only shard i of n of the last layer; write it under --out for irqcheck merge',
      ).argParser((v: string) => parseShard(v) ?? inputFail(`--shard: expected i/n with 1 <= i <= n, got '${v}'`)),
    )
    .option('--out <dir>', 'with --shard: where the shard output goes', 'reports')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      o.kernelGiven = cmd.getOptionValueSource('kernel') === 'cli';
      const { spec, w0, types } = await exploreSetup(o);
      if (o.shard) {
        if (o.maxStates)
          inputFail('--shard: a search with --max-states cannot be sharded (its cut-off depends on the whole order)');
        writableDir('--out', o.out as string, (m) => new InputError(m));
        const shard = o.shard as Shard;
        const r = exploreShard(w0, { depth: o.depth as number, types, ...onlyOf(o) }, shard);
        const file = join(o.out as string, `explore-shard-${shard.index}-of-${shard.count}.json`);
        writeFileSync(file, `${JSON.stringify({ irqcheckExploreShard: 1, args: exploreArgs(o), result: r })}\n`);
        process.stdout.write(
          `shard ${shard.index}/${shard.count}: ${r.transitions} transitions, ${r.states.length} new states in the last layer; ${file}\n`,
        );
        return;
      }
      const tty = process.stderr.isTTY && !o.json;
      const started = performance.now();
      const r = explore(w0, {
        depth: o.depth as number,
        types,
        ...onlyOf(o),
        ...(o.maxStates ? { maxStates: o.maxStates as number } : {}),
        ...(tty
          ? {
              onProgress: (p: ExploreProgress) =>
                process.stderr.write(
                  `\rirqcheck explore: depth ${p.depth}, ${p.states} states, ${p.transitions} transitions, ${p.violations} violated, ${rate(p.states, started)} states/s  `,
                ),
            }
          : {}),
      });
      const ms = performance.now() - started;
      if (tty) process.stderr.write(`\r${' '.repeat(100)}\r`);
      printExplore(
        o,
        spec,
        w0,
        r,
        `${(ms / 1000).toFixed(1)} s, ${Math.round((r.states / ms) * 1000)} distinct states/s, ${Math.round((r.transitions / ms) * 1000)} transitions/s`,
        {
          ms: Math.round(ms),
          statesPerSecond: Math.round((r.states / ms) * 1000),
        },
      );
    });

  program
    .command('merge <dirs...>')
    .description('combine the outputs of explore --shard i/n (one per shard) into the report one search prints')
    .option('--json', 'print one JSON document on stdout')
    .action(async (dirs: string[], m: { json?: boolean }) => {
      const files = dirs.flatMap((d) => {
        try {
          return readdirSync(d)
            .filter((f) => /^explore-shard-\d+-of-\d+\.json$/.test(f))
            .map((f) => join(d, f));
        } catch {
          return inputFail(`merge: cannot read directory ${d}`);
        }
      });
      const docs = files.map((f) => {
        try {
          const doc = JSON.parse(readFileSync(f, 'utf8'));
          if (doc?.irqcheckExploreShard !== 1) throw new Error();
          return doc as { args: Record<string, unknown>; result: ShardResult };
        } catch {
          return inputFail(`merge: ${f} is not an explore shard output`);
        }
      });
      const args = docs[0]?.args;
      if (!args || docs.some((x) => JSON.stringify(x.args) !== JSON.stringify(args)))
        inputFail(
          docs.length === 0
            ? 'merge: no explore-shard-*.json in the directories'
            : 'merge: the shards ran different searches',
        );
      const r = mergeShards(docs.map((x) => x.result));
      if (typeof r === 'string') inputFail(`merge: ${r}`);
      const o = { ...args!, json: m.json };
      const { spec, w0 } = await exploreSetup(o);
      printExplore(o, spec, w0, r as ExploreResult, `merged from ${docs.length} shards`, { shards: docs.length });
    });

  program
    .command('replay <file>')
    .description('re-run a counterexample file step by step; exit 1 while it still fails')
    .option('--json', 'print JSON')
    .addOption(
      new Option('--export <kind>', 'print it instead as a vitest regression test or a KUnit C skeleton').choices([
        'vitest',
        'kunit',
      ]),
    )
    .action(async (path: string, o: { json?: boolean; export?: 'vitest' | 'kunit' }) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        throw new InputError(`cannot read ${path}`);
      }
      let replayed: Awaited<ReturnType<typeof replayCounterexample>>;
      try {
        replayed = await replayCounterexample(text, path);
      } catch (e) {
        if (e instanceof ReplayError) throw new InputError(e.message);
        throw e;
      }
      const { file, world0, run: r } = replayed;
      const still = r.violations.find((v) => v.invariant === file.invariant);
      if (o.export) {
        process.stdout.write(o.export === 'vitest' ? toVitest(replayed, path) : toKunit(replayed, path));
        return;
      }
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify(
            {
              file: path,
              invariant: file.invariant,
              stillFails: !!still,
              violations: r.violations,
              steps: r.trace.length,
            },
            null,
            2,
          )}\n`,
        );
      } else {
        process.stdout.write(
          `${file.design} on ${file.kernel}, config ${file.config}${file.quirks.length ? `, quirks: ${file.quirks.join(', ')}` : ''}\n`,
        );
        // each call, its outcome, and what it changed
        const lines = formatTrace(world0, r.trace);
        let w = world0;
        r.trace.forEach((s, i) => {
          const next = step(w, s.op).world;
          process.stdout.write(`  ${lines[i]}\n`);
          for (const d of describeDiff(w, next)) process.stdout.write(`        ${d}\n`);
          w = next;
        });
        for (const v of r.violations) process.stdout.write(`  !! ${v.invariant}: ${v.message}\n`);
        process.stdout.write(still ? `still fails: ${file.invariant}\n` : `no longer fails: ${file.invariant}\n`);
      }
      process.exitCode = still ? 1 : 0;
    });

  registerBenchCommands(program, (m) => new InputError(m));
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildCli();
  commandLine = argv;
  // no command: the full help (commands, options, exit codes), as a usage error
  if (argv.length === 0) {
    process.stdout.write(`${program.helpInformation() + EXIT_CODES}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version print and exit 0; usage errors were printed on one line
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof InputError) {
      process.stderr.write(`irqcheck: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    // anything else is a defect of the tool (or of code it ran): one line, exit 3
    if (process.env.IRQCHECK_DEBUG) process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    const first = String((e as Error)?.message ?? e).split('\n')[0];
    process.stderr.write(`irqcheck: internal error: ${first} (IRQCHECK_DEBUG=1 shows where)\n`);
    process.exitCode = 3;
  }
}
