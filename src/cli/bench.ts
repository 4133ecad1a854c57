/*
 * src/cli/bench.ts - `irqcheck bench` (the bug benchmark) and `irqcheck faults` (the catalog)
 */
import { type Command, Option } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { faultCatalog, faultIds, type FaultId } from '../../models/faults/catalog.ts';
import { defaultBudget, runBench } from '../bench/bench.ts';
import { benchEngines } from '../bench/engines.ts';
import { renderBenchMarkdown, toBenchJson, type BenchJson } from '../bench/report.ts';
import { parseFaultIds } from './fault-option.ts';
import { ceilings, type Fail, int as intArg, writableDir } from './args.ts';

const int = (name: string, min: number, max: number, fail: Fail) => intArg(name, min, max, fail);

/** the invariant categories that caught each fault in the last bench (reports/bench.json) */
function caughtInLastBench(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(path)) return out;
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as BenchJson;
    for (const f of j.faults ?? [])
      out.set(f.id, [...new Set(f.results.flatMap((r) => r.caughtBy.map((c) => c.category)))].sort());
  } catch {
    // a damaged report: list the faults without it
  }
  return out;
}

export function registerBenchCommands(program: Command, fail: Fail): void {
  program
    .command('bench')
    .description(
      'the bug benchmark: every catalog fault x every engine over fixed seeds; writes reports/bench.md and reports/bench.json',
    )
    .addOption(
      new Option('--faults <ids>', "fault ids (comma-separated) or 'all'").argParser((v: string, p: FaultId[]) =>
        parseFaultIds(v, p, fail),
      ),
    )
    .addOption(
      new Option('--seeds <n>', 'seeds 1..N per fault and engine')
        .argParser(int('--seeds', 1, ceilings.seeds, fail))
        .default(20),
    )
    .addOption(
      new Option('--budget <steps>', 'model steps per search, the same for every engine')
        .argParser(int('--budget', 1, ceilings.states, fail))
        .default(defaultBudget.modelSteps),
    )
    .addOption(
      new Option('--runs <n>', 'runs of fast-check-default (its only budget)')
        .argParser(int('--runs', 1, ceilings.runs, fail))
        .default(defaultBudget.runs),
    )
    .addOption(
      new Option(
        '--engines <names>',
        `engines to run (comma-separated): ${benchEngines.map((e) => e.name).join(', ')}`,
      ).argParser((v: string) => {
        const names = v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        const bad = names.filter((n) => !benchEngines.some((e) => e.name === n));
        if (bad.length || !names.length)
          throw fail(`unknown engine '${bad[0] ?? v}' (engines: ${benchEngines.map((e) => e.name).join(', ')})`);
        return names;
      }),
    )
    .option('--json', 'print one JSON document on stdout')
    .option('--out <dir>', 'where bench.md and bench.json go', 'reports')
    .action(
      (o: {
        faults?: FaultId[];
        seeds: number;
        budget: number;
        runs: number;
        engines?: string[];
        json?: boolean;
        out: string;
      }) => {
        writableDir('--out', o.out, fail);
        const ids = o.faults?.length ? o.faults : faultIds;
        const engines = o.engines ? benchEngines.filter((e) => o.engines!.includes(e.name)) : benchEngines;
        const tty = process.stderr.isTTY && !o.json;
        let done = 0;
        const r = runBench(ids, o.seeds, { ...defaultBudget, modelSteps: o.budget, runs: o.runs }, engines, () => {
          done++;
          if (tty) process.stderr.write(`\rirqcheck bench: ${done}/${ids.length * engines.length} fault x engine  `);
        });
        if (tty) process.stderr.write(`\r${' '.repeat(50)}\r`);
        const json = toBenchJson(r);
        const command = `irqcheck bench --faults ${ids.join(',')} --seeds ${o.seeds} --budget ${o.budget} --runs ${o.runs}${o.engines ? ` --engines ${o.engines.join(',')}` : ''}`;
        mkdirSync(o.out, { recursive: true });
        writeFileSync(join(o.out, 'bench.json'), `${JSON.stringify(json, null, 2)}\n`);
        const md = renderBenchMarkdown(r, command);
        writeFileSync(join(o.out, 'bench.md'), md);
        if (o.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        else
          process.stdout.write(
            `${md.slice(md.indexOf('## Scoreboard'))}\nreports written to ${o.out}/bench.md, ${o.out}/bench.json\n`,
          );
      },
    );

  program
    .command('faults')
    .description(
      'list the catalog faults the model can switch on (id, subject, hash, location, categories that caught them in the last bench)',
    )
    .option('--json', 'print JSON')
    .option(
      '--bench <file>',
      'the bench report to read (default: reports/bench.json, else the committed examples/reports/bench.json)',
    )
    .action((o: { json?: boolean; bench?: string }) => {
      const own = join('reports', 'bench.json');
      const caught = caughtInLastBench(o.bench ?? (existsSync(own) ? own : join('examples', 'reports', 'bench.json')));
      const list = faultIds.map((id) => {
        const f = faultCatalog[id];
        return {
          id,
          subject: f.subject,
          hash: f.hash,
          location: f.location,
          model: f.model,
          kernel: f.target.kernel,
          platform: f.target.config,
          caughtBy: caught.get(id) ?? null,
        };
      });
      if (o.json) return void process.stdout.write(`${JSON.stringify({ faults: list }, null, 2)}\n`);
      for (const f of list) {
        process.stdout.write(
          `\n${f.id}  ${f.subject}\n  ${f.hash}  (kernel ${f.kernel}, platform ${f.platform})\n  kernel: ${f.location}\n  model:  ${f.model}\n`,
        );
        process.stdout.write(
          `  caught by: ${f.caughtBy === null ? '(not in the last bench)' : f.caughtBy.length ? f.caughtBy.join(', ') : 'nothing'}\n`,
        );
      }
    });
}
