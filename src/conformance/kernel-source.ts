/*
 * src/conformance/kernel-source.ts - the real kernel sources, from Debian's linux-source packages
 *
 * `apt-get install linux-source-6.1 linux-source-6.12` puts /usr/src/linux-source-<v>.tar.xz.
 * The files the harnesses need are extracted at run time into a cache under the OS temp
 * directory (keyed by the tarball's size and mtime) and never committed; the harness is built
 * there with gcc from conformance/<harness>/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface KernelSource {
  readonly version: string;
  readonly tarball: string;
  /** the extracted tree: <dir>/linux-source-<version>/... */
  readonly root: string;
}

export const tarballOf = (version: string): string => `/usr/src/linux-source-${version}.tar.xz`;

/** the source tree of @version with @files (paths inside the kernel tree), or null if not installed */
export function kernelSource(version: string, files: readonly string[]): KernelSource | null {
  const tarball = tarballOf(version);
  if (!existsSync(tarball)) return null;
  const st = statSync(tarball);
  const dir = join(tmpdir(), 'irqcheck-conformance', `${version}-${st.size}-${Math.floor(st.mtimeMs)}`);
  const root = join(dir, `linux-source-${version}`);
  const missing = files.filter((f) => !existsSync(join(root, f)));
  if (missing.length) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xJf', tarball, '-C', dir, ...missing.map((f) => `linux-source-${version}/${f}`)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return { version, tarball, root };
}

/** gcc @harness (conformance/<name>/harness.c) with @defines as quoted absolute paths; the binary's path */
export function buildHarness(name: string, src: KernelSource, defines: Readonly<Record<string, string>>): string {
  const here = resolve('conformance', name);
  const out = join(src.root, '..', `${name}-harness`);
  const args = [
    '-O1',
    '-w',
    '-include',
    join(here, 'kstubs.h'),
    '-I',
    join(here, 'include'),
    ...Object.entries(defines).map(([k, v]) => `-D${k}="${v}"`),
    join(here, 'harness.c'),
    '-o',
    out,
  ];
  execFileSync('gcc', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}
