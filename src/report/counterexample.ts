/*
 * src/report/counterexample.ts - counterexample files: versioned, self-contained JSON that
 * replays the same on any machine (kernel profile, quirks, configuration, steps)
 */
import { z } from 'zod';
import type { Op } from '../../models/ops.ts';
import { opTypes } from '../../models/ops.ts';
import { kernelQuirks, type QuirkId } from '../../models/world/profile.ts';
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
  readonly kernel: '5.10' | '6.2';
  readonly quirks: readonly QuirkId[];
  /** catalog bugs that were switched on (absent: none) */
  readonly faults?: readonly FaultId[];
  readonly config: string;
  readonly mode: 'legal' | 'any' | 'workload';
  readonly invariant: string;
  readonly category: Category;
  readonly message: string;
  /** each step's operation and arguments, and what it returned when found */
  readonly steps: readonly { readonly op: Op['type']; readonly args: Record<string, unknown>; readonly outcome: string }[];
}

const nat = z.number().int().min(0);
const cpus = z.array(nat);
const failPoint = z.object({ site: z.enum(['irq-desc', 'irq-data', 'vector', 'irte', 'msi-desc', 'activate']), index: nat }).nullable();
const client = z.enum(['client0', 'client1']);
const domid = z.union([z.literal(0), z.literal(1)]);

/** the arguments of every operation */
const argSchemas: { [K in Op['type']]: z.ZodType } = {
  platformMsiCreateIrqDomain: z.object({ parent: nat }),
  irqDomainRemove: z.object({ domain: nat }),
  devSetMsiDomain: z.object({ dev: nat, domain: nat.nullable() }),
  pciCreateImsDomain: z.object({ dev: nat, hwsize: nat }),
  msiRemoveDeviceIrqDomain: z.object({ dev: nat, domid }),
  irqDomainAllocIrqs: z.object({ client, domain: nat, n: z.number().int().min(1), cpus: cpus.nullable(), fail: failPoint }),
  irqDomainFreeIrqs: z.object({ client, virq: nat, n: z.number().int().min(1) }),
  requestIrq: z.object({ virq: nat, dev: nat.nullable(), devm: z.boolean() }),
  freeIrq: z.object({ virq: nat }),
  irqSetAffinity: z.object({ virq: nat, cpus, fromUser: z.boolean() }),
  deviceFireIrq: z.object({ virq: nat }),
  cpuOffline: z.object({ cpu: nat }),
  cpuOnline: z.object({ cpu: nat }),
  pciAllocIrqVectors: z.object({ dev: nat, min: nat, max: nat, irqType: z.enum(['msi', 'msix']), affinity: z.boolean(), fail: failPoint }),
  pciFreeIrqVectors: z.object({ dev: nat }),
  pciMsixAllocIrqAt: z.object({ dev: nat, index: z.union([nat, z.literal('any')]), fail: failPoint }),
  pciMsixFreeIrq: z.object({ dev: nat, index: z.number().int(), virq: z.number().int() }),
  pciImsAllocIrq: z.object({ dev: nat, icookie: nat, fail: failPoint }),
  pciImsFreeIrq: z.object({ dev: nat, index: z.number().int(), virq: z.number().int() }),
  msiDomainAllocIrqsRange: z.object({ dev: nat, domid, first: nat, last: nat, fail: failPoint }),
  msiDomainFreeIrqsRange: z.object({ dev: nat, domid, first: nat, last: nat }),
  platformMsiDomainAllocIrqs: z.object({ dev: nat, nvec: z.number().int(), fail: failPoint }),
  platformMsiDomainFreeIrqs: z.object({ dev: nat }),
  idxdProbe: z.object({ pf: nat, fail: failPoint }),
  idxdWqConfig: z.object({ pf: nat, wq: nat, wqType: z.enum(['none', 'kernel', 'user', 'mdev']), mode: z.enum(['dedicated', 'shared']), size: nat, group: nat.nullable() }),
  idxdEngineConfig: z.object({ pf: nat, engine: nat, group: nat.nullable() }),
  idxdDeviceEnable: z.object({ pf: nat }),
  idxdDeviceDisable: z.object({ pf: nat }),
  idxdWqEnable: z.object({ pf: nat, wq: nat }),
  idxdWqDisable: z.object({ pf: nat, wq: nat }),
  mdevCreate: z.object({ pf: nat, wq: nat }),
  mdevOpen: z.object({ mdev: nat, fail: failPoint }),
  mdevRelease: z.object({ mdev: nat }),
  mdevRemove: z.object({ mdev: nat }),
  dsaImsInterrupt: z.object({ pf: nat, slot: nat, pasid: nat }),
  dmarHotRemove: z.object({ unit: nat }),
  dmarHotAdd: z.object({ unit: nat, fail: z.boolean().optional() }),
  driverProbe: z.object({ dev: nat, managed: z.boolean(), fail: z.boolean() }),
  deviceReleaseDriver: z.object({ dev: nat }),
  deviceUnregister: z.object({ dev: nat }),
  acpiIoapicAdd: z.object({ ioapic: nat }),
  mpUnregisterIoapic: z.object({ ioapic: nat }),
  mpMapPinToIrq: z.object({ ioapic: nat, pin: nat }),
  mpUnmapIrq: z.object({ virq: z.number().int() }),
  dmarSetInterrupt: z.object({ unit: nat }),
  hvEjectDevice: z.object({ dev: nat }),
  irqCreateFwspecMapping: z.object({ dev: nat, pin: z.number().int() }),
  irqDisposeMapping: z.object({ virq: z.number().int() }),
  vmdProbe: z.object({ dev: nat, fail: failPoint }),
  msiIrqsShow: z.object({ dev: nat, virq: nat }),
  taskResume: z.object({ task: nat }),
  irqCreateLineMapping: z.object({ dev: nat }),
  irqDisposeLineMapping: z.object({ dev: nat }),
};

const fileSchema = z.object({
  format: z.literal(COUNTEREXAMPLE_FORMAT),
  version: z.literal(COUNTEREXAMPLE_VERSION),
  design: z.string().min(1),
  designFile: z.string().nullable().optional(),
  kernel: z.enum(['5.10', '6.2']),
  quirks: z.array(z.enum(Object.keys(kernelQuirks) as [QuirkId, ...QuirkId[]])),
  faults: z.array(z.enum(faultIds as [FaultId, ...FaultId[]])).optional(),
  config: z.string().refine((c) => c in platformConfigs, { message: `config must be one of ${Object.keys(platformConfigs).join(', ')}` }),
  mode: z.enum(['legal', 'any', 'workload']),
  invariant: z.string(),
  category: z.enum(categories as unknown as [Category, ...Category[]]),
  message: z.string(),
  steps: z.array(z.object({ op: z.enum(opTypes as unknown as [Op['type'], ...Op['type'][]]), args: z.record(z.string(), z.unknown()), outcome: z.string() })),
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
  if (raw && typeof raw === 'object' && (raw as { format?: unknown }).format === COUNTEREXAMPLE_FORMAT && (raw as { version?: unknown }).version !== COUNTEREXAMPLE_VERSION) {
    throw new CounterexampleError(`format version ${(raw as { version?: unknown }).version} is not supported (this irqcheck reads version ${COUNTEREXAMPLE_VERSION})`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CounterexampleError(`${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const file = parsed.data as CounterexampleFile;
  const config = platformConfigs[file.config]!;
  const ops = file.steps.map((s, i) => {
    const a = argSchemas[s.op].safeParse(s.args);
    if (!a.success) throw new CounterexampleError(`steps.${i} (${s.op}): ${a.error.issues[0]!.path.join('.')} ${a.error.issues[0]!.message}`);
    const args = a.data as Record<string, unknown>;
    for (const key of ['dev', 'pf'] as const) {
      // devices created while running (mdevs) get ids after the configured ones
      const id = args[key];
      if (typeof id === 'number' && id >= config.devices.length + 4096) throw new CounterexampleError(`steps.${i} (${s.op}): no device ${id} in the ${file.config} configuration`);
    }
    if (typeof args.pf === 'number' && !config.devices[args.pf]?.dsa) throw new CounterexampleError(`steps.${i} (${s.op}): device ${args.pf} is not a DSA PF in the ${file.config} configuration`);
    if (typeof args.unit === 'number' && args.unit >= config.units.length) throw new CounterexampleError(`steps.${i} (${s.op}): no DMAR unit ${args.unit} in the ${file.config} configuration`);
    for (const cpu of [args.cpu, ...((args.cpus as number[] | null) ?? [])]) {
      if (typeof cpu === 'number' && cpu >= config.cpus) throw new CounterexampleError(`steps.${i} (${s.op}): no CPU${cpu} in the ${file.config} configuration`);
    }
    return { type: s.op, ...args } as Op;
  });
  return { file, ops };
}
