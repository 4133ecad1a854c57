/*
 * src/cli/main.ts - the irqcheck command line
 *
 * Exit codes: 0 nothing violated (or a listing), 1 an invariant is violated / a replay still
 * fails, 2 bad input (one line on stderr, never a stack trace).
 */
import { Command, CommanderError, Option } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invariants, categories } from '../../properties/index.ts';
import { platformConfigs } from '../../models/platform/config.ts';
import { kernelVersions, type KernelVersion } from '../../models/kernel/profile.ts';
import { bootWorld } from '../../models/kernel/boot.ts';
import { runCheck, runChecksParallel, type CheckRun, type CheckSpec } from '../engine/check.ts';
import { availableParallelism } from 'node:os';
import { runOps } from '../engine/run.ts';
import { renderMatrix, renderRunText, saveCounterexamples, toResultJson } from '../report/results.ts';
import { CounterexampleError, parseCounterexample } from '../report/counterexample.ts';
import { formatTrace } from '../report/trace.ts';
import { describeDiff } from '../report/diff.ts';
import { step } from '../../models/step.ts';

class InputError extends Error {}

const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InputError(`${name} must be an integer >= ${min}, got '${v}'`);
  return n;
};

/** --only: invariant ids and/or category names, comma-separated */
function parseOnly(v: string): string[] {
  const ids: string[] = [];
  for (const word of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const inCategory = invariants.filter((i) => i.category === word).map((i) => i.id);
    if (inCategory.length) ids.push(...inCategory);
    else if (invariants.some((i) => i.id === word)) ids.push(word);
    else throw new InputError(`--only: '${word}' is neither an invariant id nor a category (see 'irqcheck invariants')`);
  }
  return ids;
}

function specFrom(o: Record<string, unknown>, kernel: KernelVersion, mode: 'legal' | 'any'): CheckSpec {
  const steps = o.steps as number;
  return {
    ...(o.only ? { only: o.only as string[] } : {}),
    design: 'kernel',
    kernel,
    quirks: o.quirks !== 'off',
    config: o.config as string,
    mode,
    runs: o.runs as number,
    seed: o.seed as number,
    minSteps: Math.max(1, Math.floor(steps / 2)),
    maxSteps: steps,
  };
}

function writeReports(runs: readonly CheckRun[], out: string): Map<CheckRun, Map<string, string>> {
  const files = new Map<CheckRun, Map<string, string>>();
  for (const r of runs) files.set(r, saveCounterexamples(r, join(out, 'counterexamples')));
  return files;
}

const campaignOptions = (c: Command) =>
  c
    .addOption(new Option('--runs <n>', 'generated sequences per campaign').argParser(int('--runs', 1)).default(300))
    .addOption(new Option('--seed <n>', 'random seed').argParser(int('--seed', 0)).default(1))
    .addOption(new Option('--steps <n>', 'maximum steps per sequence').argParser(int('--steps', 1)).default(50))
    .addOption(new Option('--config <name>', 'platform configuration').choices(Object.keys(platformConfigs)).default('small'))
    .addOption(new Option('--quirks <on|off>', "reproduce the real kernel's known deviations").choices(['on', 'off']).default('on'))
    .addOption(new Option('--only <ids>', 'check only these invariants or categories (comma-separated)').argParser(parseOnly))
    .option('--json', 'print one JSON document on stdout')
    .option('--out <dir>', 'where reports and counterexample files go', 'reports');

export function buildCli(): Command {
  const program = new Command('irqcheck')
    .description('Property-based verification of the Linux IRQ-domain stack: generated alloc/free/assign/teardown sequences checked against kernel invariants')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] + '\n') });

  program
    .command('invariants')
    .description('list the invariants (id, category, statement, kernel rule)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const list = invariants.map(({ id, category, spec, statement, kernel, scope }) => ({ id, category, spec, scope, statement, kernel }));
      if (o.json) return void process.stdout.write(JSON.stringify({ invariants: list }, null, 2) + '\n');
      for (const cat of categories) {
        const mine = list.filter((i) => i.category === cat);
        if (!mine.length) continue;
        process.stdout.write(`\n${cat}\n`);
        for (const i of mine) process.stdout.write(`  ${i.id.padEnd(26)} ${i.spec.padEnd(4)} ${i.statement}\n${' '.repeat(34)}kernel: ${i.kernel}\n`);
      }
    });

  campaignOptions(
    program
      .command('check')
      .description('run the kernel model under generated sequences; exit 1 if an invariant is violated')
      .addOption(new Option('--kernel <version>', 'kernel profile').choices(kernelVersions as string[]).default('6.2'))
      .addOption(new Option('--mode <mode>', 'legal: only documented-legal calls; any: misuse allowed').choices(['legal', 'any']).default('any')),
  ).action((o: Record<string, unknown>) => {
    const run = runCheck(specFrom(o, o.kernel as KernelVersion, o.mode as 'legal' | 'any'));
    const files = writeReports([run], o.out as string).get(run)!;
    if (o.json) process.stdout.write(JSON.stringify({ results: [toResultJson(run, files)] }, null, 2) + '\n');
    else process.stdout.write(renderRunText(run) + '\n');
    process.exitCode = run.counterexamples.length > 0 ? 1 : 0;
  });

  campaignOptions(program.command('compare').description('every kernel profile x caller mode x invariant; writes reports/ (the default for npm start)')).action(
    async (o: Record<string, unknown>) => {
      const tty = process.stderr.isTTY && !o.json;
      const specs = kernelVersions.flatMap((kernel) => (['legal', 'any'] as const).map((mode) => specFrom(o, kernel, mode)));
      let done = 0;
      const progress = () => tty && process.stderr.write(`\rirqcheck: ${done}/${specs.length} campaigns of ${o.runs} runs done  `);
      progress();
      // one campaign per core, on worker threads
      const runs = await runChecksParallel(specs, availableParallelism(), () => {
        done++;
        progress();
      });
      if (tty) process.stderr.write('\r' + ' '.repeat(60) + '\r');
      const out = o.out as string;
      const files = writeReports(runs, out);
      const results = runs.map((r) => toResultJson(r, files.get(r)!));
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'summary.json'), JSON.stringify({ results }, null, 2) + '\n');
      const md = [
        '# irqcheck: kernel model campaign',
        '',
        `Seed ${o.seed}, ${o.runs} runs of up to ${o.steps} steps per column, configuration \`${o.config}\`, quirks ${o.quirks}.`,
        'A cell gives the shortest counterexample found (steps); files are in `counterexamples/`.',
        '',
        renderMatrix(runs, true),
        '',
        ...runs.flatMap((r) => ['```', renderRunText(r), '```', '']),
      ].join('\n');
      writeFileSync(join(out, 'summary.md'), md);
      if (o.json) process.stdout.write(JSON.stringify({ results }, null, 2) + '\n');
      else process.stdout.write(renderMatrix(runs, false) + `\n\nreports written to ${out}/summary.md, ${out}/summary.json, ${out}/counterexamples/\n`);
    },
  );

  program
    .command('replay <file>')
    .description('re-run a counterexample file step by step; exit 1 while it still fails')
    .option('--json', 'print JSON')
    .action((path: string, o: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        throw new InputError(`cannot read ${path}`);
      }
      let parsed;
      try {
        parsed = parseCounterexample(text);
      } catch (e) {
        if (e instanceof CounterexampleError) throw new InputError(`${path}: ${e.message}`);
        throw e;
      }
      const { file, ops } = parsed;
      const w0 = bootWorld({ version: file.kernel, quirks: file.quirks }, platformConfigs[file.config]!);
      const r = runOps(w0, ops, { only: new Set([file.invariant]) });
      const still = r.violations.find((v) => v.invariant === file.invariant);
      if (o.json) {
        process.stdout.write(JSON.stringify({ file: path, invariant: file.invariant, stillFails: !!still, violations: r.violations, steps: r.trace.length }, null, 2) + '\n');
      } else {
        process.stdout.write(`${file.design} on ${file.kernel}, config ${file.config}${file.quirks.length ? `, quirks: ${file.quirks.join(', ')}` : ''}\n`);
        // each call, its outcome, and what it changed
        const lines = formatTrace(w0, r.trace);
        let w = w0;
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

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildCli();
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
    throw e;
  }
}

