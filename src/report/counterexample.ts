/*
 * src/report/counterexample.ts - counterexample files: versioned, self-contained JSON that
 * replays the same on any machine (kernel profile, quirks, configuration, steps)
 */
import { z } from 'zod';
import { opDef, opTypes, type Op } from '../../models/ops.ts';
import { type KernelVersion, kernelQuirks, profileVersions, type QuirkId } from '../../models/world/profile.ts';
import { platformConfigs } from '../../models/world/platform.ts';
import { faultIds, type FaultId } from '../../models/faults/catalog.ts';
import { categories, type Category } from '../../properties/index.ts';
import type { TraceStep } from '../run/run.ts';

export const COUNTEREXAMPLE_FORMAT = 'irqcheck-counterexample';
export const COUNTEREXAMPLE_VERSION = 1;

export interface CounterexampleFile {
  readonly format: typeof COUNTEREXAMPLE_FORMAT;
  readonly version: typeof COUNTEREXAMPLE_VERSION;
  /** a built-in design's name, 'kernel' (no design), or a user design's name with its file */
  readonly design: string;
  readonly designFile?: string | null;
  readonly kernel: KernelVersion;
  readonly quirks: readonly QuirkId[];
  /** catalog bugs that were switched on (absent: none) */
  readonly faults?: readonly FaultId[];
  readonly config: string;
  readonly mode: 'legal' | 'any' | 'workload';
  readonly invariant: string;
  readonly category: Category;
  readonly message: string;
  /** each step's operation and arguments, and what it returned when found */
  readonly steps: readonly {
    readonly op: Op['type'];
    readonly args: Record<string, unknown>;
    readonly outcome: string;
  }[];
}

const fileSchema = z.object({
  format: z.literal(COUNTEREXAMPLE_FORMAT),
  version: z.literal(COUNTEREXAMPLE_VERSION),
  design: z.string().min(1),
  designFile: z.string().nullable().optional(),
  kernel: z.enum(profileVersions as [KernelVersion, ...KernelVersion[]]),
  quirks: z.array(z.enum(Object.keys(kernelQuirks) as [QuirkId, ...QuirkId[]])),
  faults: z.array(z.enum(faultIds as [FaultId, ...FaultId[]])).optional(),
  config: z.string().refine((c) => c in platformConfigs, {
    message: `config must be one of ${Object.keys(platformConfigs).join(', ')}`,
  }),
  mode: z.enum(['legal', 'any', 'workload']),
  invariant: z.string(),
  category: z.enum(categories as unknown as [Category, ...Category[]]),
  message: z.string(),
  steps: z.array(
    z.object({
      op: z.enum(opTypes as unknown as [Op['type'], ...Op['type'][]]),
      args: z.record(z.string(), z.unknown()),
      outcome: z.string(),
    }),
  ),
});

/** toCounterexampleFile() - the file for one counterexample */
export function toCounterexampleFile(
  meta: Omit<CounterexampleFile, 'format' | 'version' | 'steps'>,
  trace: readonly TraceStep[],
): CounterexampleFile {
  return {
    format: COUNTEREXAMPLE_FORMAT,
    version: COUNTEREXAMPLE_VERSION,
    ...meta,
    steps: trace.map((s) => {
      const { type, ...args } = s.op;
      return { op: type, args, outcome: s.outcome };
    }),
  };
}

export class CounterexampleError extends Error {}

/**
 * parseCounterexample() - validate a file's JSON; ids must exist in its configuration
 * Throws CounterexampleError with one line saying what is wrong.
 */
export function parseCounterexample(text: string): { file: CounterexampleFile; ops: Op[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CounterexampleError(`not JSON (${(e as Error).message})`);
  }
  if (
    raw &&
    typeof raw === 'object' &&
    (raw as { format?: unknown }).format === COUNTEREXAMPLE_FORMAT &&
    (raw as { version?: unknown }).version !== COUNTEREXAMPLE_VERSION
  ) {
    throw new CounterexampleError(
      `format version ${(raw as { version?: unknown }).version} is not supported (this irqcheck reads version ${COUNTEREXAMPLE_VERSION})`,
    );
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CounterexampleError(`${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const file = parsed.data as CounterexampleFile;
  const config = platformConfigs[file.config]!;
  const ops = file.steps.map((s, i) => {
    // each operation's argument schema is part of its definition (models/ops/<area>/<op>.ts)
    const a = opDef(s.op).args.safeParse(s.args);
    if (!a.success)
      throw new CounterexampleError(
        `steps.${i} (${s.op}): ${a.error.issues[0]!.path.join('.')} ${a.error.issues[0]!.message}`,
      );
    const args = a.data as Record<string, unknown>;
    for (const key of ['dev', 'pf'] as const) {
      // devices created while running (mdevs) get ids after the configured ones
      const id = args[key];
      if (typeof id === 'number' && id >= config.devices.length + 4096)
        throw new CounterexampleError(`steps.${i} (${s.op}): no device ${id} in the ${file.config} configuration`);
    }
    if (typeof args.pf === 'number' && !config.devices[args.pf]?.dsa)
      throw new CounterexampleError(
        `steps.${i} (${s.op}): device ${args.pf} is not a DSA PF in the ${file.config} configuration`,
      );
    if (typeof args.unit === 'number' && args.unit >= config.units.length)
      throw new CounterexampleError(
        `steps.${i} (${s.op}): no DMAR unit ${args.unit} in the ${file.config} configuration`,
      );
    for (const cpu of [args.cpu, ...((args.cpus as number[] | null) ?? [])]) {
      if (typeof cpu === 'number' && cpu >= config.cpus)
        throw new CounterexampleError(`steps.${i} (${s.op}): no CPU${cpu} in the ${file.config} configuration`);
    }
    return { type: s.op, ...args } as Op;
  });
  return { file, ops };
}
