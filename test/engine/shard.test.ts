/*
 * A search spread over shards: the shards' outputs merged are the single search's result (the
 * same states, transitions, layers, coverage in the same order, and the same shortest traces,
 * violations in the last layer included), in-process and through the deploy/ Indexed Job
 * manifest run as local processes.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explore } from '../../src/search/explore.ts';
import { exploreShard, mergeShards, parseShard } from '../../src/search/shard.ts';
import { worldFor } from '../../src/run/check.ts';
import { workloadOpTypes } from '../../src/generate/workload.ts';

const rfc = () => worldFor({ design: 'rfc-v2-dev-msi', kernel: '6.2', quirks: true, config: 'small' });
const sharded = (depth: number, n: number) =>
  mergeShards(
    Array.from({ length: n }, (_, i) =>
      exploreShard(rfc(), { depth, types: workloadOpTypes }, { index: i + 1, count: n }),
    ),
  );

describe('explore --shard i/n and merge', () => {
  it('n shards merged equal one search: violations in the last layer, a layer before it, none before it', () => {
    for (const [depth, n] of [
      [1, 2],
      [2, 3],
    ] as const) {
      const one = explore(rfc(), { depth, types: workloadOpTypes });
      const merged = sharded(depth, n);
      expect(JSON.stringify(merged)).toBe(JSON.stringify(one));
    }
    // the depth-2 search breaks two invariants in its last layer: the merge picked the same traces
    expect(explore(rfc(), { depth: 2, types: workloadOpTypes }).violations).toHaveLength(2);
  });

  it('a missing or repeated shard, or shards of different searches, are refused', () => {
    const a = exploreShard(rfc(), { depth: 2, types: workloadOpTypes }, { index: 1, count: 2 });
    const b = exploreShard(rfc(), { depth: 3, types: workloadOpTypes }, { index: 2, count: 2 });
    expect(mergeShards([a])).toMatch(/expected shards 1\.\.2/);
    expect(mergeShards([a, a])).toMatch(/expected shards 1\.\.2/);
    expect(mergeShards([a, b])).toMatch(/different/);
    expect(parseShard('3/2')).toBeNull();
    expect(parseShard('0/2')).toBeNull();
    expect(parseShard('2/2')).toEqual({ index: 2, count: 2 });
  });

  it('the Indexed Job manifest, rendered and run as 3 local processes, merges to the single search', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqcheck-shards-'));
    // envsubst of the placeholders the manifest's comment names
    const values: Record<string, string> = {
      SHARDS: '3',
      DESIGN: 'rfc-v2-dev-msi',
      DEPTH: '2',
      IMAGE: 'irqcheck:test',
      RESULTS_PVC: 'results',
    };
    const manifest = readFileSync('deploy/explore-indexed-job.yaml', 'utf8').replace(
      /\$\{([A-Z_]+)\}/g,
      (_, k: string) => values[k] ?? `<unknown ${k}>`,
    );
    expect(manifest).not.toMatch(/\$\{|<unknown/);
    expect(manifest).toMatch(/completionMode: Indexed/);
    expect(manifest).toMatch(/completions: 3/);
    // the container's command: sh -c <line>; the results volume is a local directory here
    const line = /- -c\n\s+- (.+)\n/.exec(manifest)![1]!.replaceAll('/results', dir);
    const codes = await Promise.all(
      [0, 1, 2].map(
        (i) =>
          new Promise<number | null>((done) =>
            spawn('sh', ['-c', line], { env: { ...process.env, JOB_COMPLETION_INDEX: String(i) }, stdio: 'ignore' }).on(
              'close',
              done,
            ),
          ),
      ),
    );
    expect(codes).toEqual([0, 0, 0]);
    const merge = spawnSync(
      process.execPath,
      ['bin/irqcheck.js', 'merge', ...[0, 1, 2].map((i) => join(dir, `shard-${i}`)), '--json'],
      { encoding: 'utf8' },
    );
    expect(merge.stderr).toBe('');
    // exit 1: the search breaks invariants, as the single one does
    expect(merge.status).toBe(1);
    const doc = JSON.parse(merge.stdout);
    const one = explore(rfc(), { depth: 2, types: workloadOpTypes });
    expect(doc).toMatchObject({ states: one.states, transitions: one.transitions, layers: one.layers });
    expect(JSON.stringify(doc.opCoverage)).toBe(JSON.stringify(one.opCoverage));
    expect(doc.violations.map((v: { invariant: string; length: number }) => [v.invariant, v.length])).toEqual(
      one.violations.map((v) => [v.invariant, v.ops.length]),
    );
  });
});
