/*
 * models/ops/args.ts - the argument types operations share, as zod schemas (an operation's
 * TypeScript argument type is inferred from its schema: see Call in op.ts)
 */
import { z } from 'zod';

export const nat = z.number().int().min(0);
/** a CPU mask, as the list of its CPUs */
export const cpus = z.array(nat);
/** an injected allocation failure (models/kernel/irq/hierarchy.ts FailPoint), or none */
export const failPoint = z
  .object({ site: z.enum(['irq-desc', 'irq-data', 'vector', 'irte', 'msi-desc', 'activate']), index: nat })
  .nullable();
/** a direct irq_domain_alloc_irqs() caller */
export const client = z.enum(['client0', 'client1']);
/** MSI_DEFAULT_DOMAIN or MSI_SECONDARY_DOMAIN (6.2 per-device MSI domains) */
export const domid = z.union([z.literal(0), z.literal(1)]);
