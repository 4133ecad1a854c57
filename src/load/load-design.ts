/*
 * src/load/load-design.ts - a user's design file: load it, check it implements the design
 * interface (models/designs/design.ts), register it
 *
 * A design file is a TypeScript (or JavaScript) module whose default export, or export named
 * `design`, is the Design object or a function of the kernel-model API (models/designs/api.ts)
 * returning it. Anything wrong gives one DesignError line.
 */
import { z } from 'zod';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findDesign, registerDesign, KERNEL_DESIGN, type Design } from '../../models/designs/index.ts';
import { optionalHooks, requiredHooks } from '../../models/designs/design.ts';
import { profileVersions } from '../../models/world/profile.ts';
import { designApi, type DesignApi } from '../../models/designs/api.ts';

export class DesignError extends Error {}

const fn = z.custom<(...a: unknown[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function' });

const designSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be kebab-case (a-z, 0-9, - and .)'),
  summary: z.string().min(1),
  description: z.string().min(1),
  kernel: z.enum(profileVersions as unknown as [string, ...string[]]),
  features: z.array(z.enum(['dev-msi-alloc-type'])).optional(),
  assumptions: z.array(z.string()),
  ...Object.fromEntries(requiredHooks.map((h) => [h, fn])),
  ...Object.fromEntries(optionalHooks.map((h) => [h, fn.optional()])),
});

/** an error as one line (a compiler's "failed with 1 error:" header joined to the error itself) */
function firstLine(e: unknown): string {
  const lines = String(e instanceof Error ? e.message : e)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const head = lines[0] ?? 'unknown error';
  return head.endsWith(':') && lines[1] ? `${head} ${lines[1]}` : head;
}

/** is @arg a path to a file (rather than a built-in design's name)? */
export const looksLikePath = (arg: string): boolean => /[/\\]|\.[cm]?[jt]s$/.test(arg);

/** load and validate a design file; registers it under its name */
export async function loadDesignFile(path: string): Promise<Design> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new DesignError(`design file ${path} does not exist`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new DesignError(`design file ${path} does not load: ${firstLine(e)}`);
  }
  // a CommonJS-compiled file (no "type": "module" around it) nests its exports one level deeper
  const unwrap = (x: unknown): unknown =>
    x && typeof x === 'object' && !('name' in x) && ('default' in x || 'design' in x)
      ? ((x as Record<string, unknown>).default ?? (x as Record<string, unknown>).design)
      : x;
  const exported = unwrap(mod.default ?? mod.design);
  if (exported === undefined)
    throw new DesignError(`design file ${path} has no default export and no export named 'design'`);
  // a function receives the kernel-model API (models/designs/api.ts) and returns the design
  let candidate: unknown = exported;
  if (typeof exported === 'function') {
    try {
      candidate = (exported as (api: DesignApi) => unknown)(designApi);
    } catch (e) {
      throw new DesignError(`design file ${path}: its design function threw: ${firstLine(e)}`);
    }
  }
  const parsed = designSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DesignError(
      `design file ${path} does not implement the design interface: ${issue.path.join('.') || 'the export'} ${issue.message}`,
    );
  }
  const design = candidate as Design;
  if (design.name === KERNEL_DESIGN)
    throw new DesignError(`design file ${path}: the name '${KERNEL_DESIGN}' is reserved`);
  const known = findDesign(design.name);
  if (known && known !== design)
    throw new DesignError(`design file ${path}: a design named '${design.name}' already exists`);
  registerDesign(design);
  return design;
}

/** a built-in design by name, or a design file by path */
export async function resolveDesign(arg: string): Promise<{ design: Design; file: string | null }> {
  if (looksLikePath(arg)) return { design: await loadDesignFile(arg), file: arg };
  const d = findDesign(arg);
  if (!d) throw new DesignError(`unknown design '${arg}' (see 'irqcheck designs', or give a path to a design file)`);
  return { design: d, file: null };
}
