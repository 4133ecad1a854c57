/*
 * models/ops/render.ts - pieces of the kernel-call form the operations' render() share
 */
import type { World } from '../world/types.ts';
import type { FailPoint } from '../kernel/irq/hierarchy.ts';

export { deviceName, domainName } from '../world/world.ts';

/** a CPU mask: {0,2} */
export const mask = (cpus: readonly number[]) => `{${cpus.join(',')}}`;
/** the injected failure, as a trailing note */
export const inject = (f: FailPoint | null) => (f ? `  [inject: ${f.site} #${f.index} fails]` : '');
export const domidName = (d: 0 | 1) => (d === 0 ? 'MSI_DEFAULT_DOMAIN' : 'MSI_SECONDARY_DOMAIN');
/** a DMAR unit by its name (DRHD0) */
export const unitName = (w: World, unit: number) => w.units[unit]?.name ?? `DRHD${unit}`;
