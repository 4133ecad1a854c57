/*
 * models/ops/irq/hotplug.ts - CPU hotplug as the operations see it: the kernel's handling, then
 * the installed design's callback
 */
import type { Outcome } from '../../world/outcome.ts';
import { designOf } from '../../designs/index.ts';

/** the installed design's CPU hotplug callback, after the kernel's own handling succeeded */
export function afterHotplug(o: Outcome<void>, cpu: number, online: boolean): Outcome<void> {
  const hook = o.kind === 'ok' ? designOf(o.world).cpuHotplug : undefined;
  return hook ? hook(o.world, cpu, online) : o;
}
