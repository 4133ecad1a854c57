#!/usr/bin/env node
// scripts/test-durations.mjs [report.json] - per-file test durations, slowest first, from vitest's
// JSON reporter. Without an argument it runs the suite first:
//   npx vitest run --reporter=json --outputFile=reports/vitest.json
// (a measurement for choosing what to cut or move to `npm run test:long`, never a test)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let file = process.argv[2];
if (!file) {
  file = 'reports/vitest.json';
  execFileSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${file}`], { stdio: 'inherit' });
}
const doc = JSON.parse(readFileSync(file, 'utf8'));
const rows = doc.testResults.map((f) => {
  const tests = f.assertionResults ?? [];
  const slowest = [...tests].sort((a, b) => (b.duration ?? 0) - (a.duration ?? 0))[0];
  return {
    file: f.name.replace(`${process.cwd()}/`, ''),
    ms: (f.endTime ?? 0) - (f.startTime ?? 0),
    tests: tests.length,
    slowest: slowest ? `${(slowest.duration ?? 0).toFixed(0)} ms ${slowest.title}` : '',
  };
});
rows.sort((a, b) => b.ms - a.ms);
const total = rows.reduce((s, r) => s + r.ms, 0);
for (const r of rows)
  console.log(
    `${(r.ms / 1000).toFixed(1).padStart(7)} s  ${String(r.tests).padStart(4)} tests  ${r.file}   (slowest: ${r.slowest})`,
  );
console.log(`${(total / 1000).toFixed(1).padStart(7)} s  summed over ${rows.length} files`);
