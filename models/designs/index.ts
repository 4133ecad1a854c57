/*
 * models/designs/index.ts - the design registry: the four built-in API designs side by side,
 * plus the ones a user loads from a file (registered once, before any run, like drivers on a bus)
 *
 * A world names its design; the driver code finds the hooks by that name through the lookup the
 * composition root (models/machine/) registers (models/drivers/design-hooks.ts): designOf().
 */
import type { World } from '../world/types.ts';
import type { Design } from './design.ts';
import { rfcV2DevMsi } from './rfc-v2-dev-msi.ts';
import { assignDomain } from './assign-domain.ts';
import { deviceDomain } from './device-domain.ts';
import { perDeviceMsi } from './per-device-msi.ts';
import { KERNEL_DESIGN, mainline510, mainline612, mainline62 } from './mainline.ts';

export type { Design, ImsVector } from './design.ts';
export { KERNEL_DESIGN } from './mainline.ts';

/** the built-in designs, in the order the thread discussed them: (a) (b) (c) (d) */
export const builtinDesignNames = ['rfc-v2-dev-msi', 'assign-domain', 'device-domain', 'per-device-msi'] as const;

const registry = new Map<string, Design>(
  [rfcV2DevMsi, assignDomain, deviceDomain, perDeviceMsi].map((d) => [d.name, d]),
);
const kernel62: Design = mainline62();
const designs = (): Map<string, Design> => registry;

export const builtinDesigns = (): Design[] => builtinDesignNames.map((n) => designs().get(n)!);

export const findDesign = (name: string): Design | undefined => designs().get(name);

/** register a user design; its name must be new (or the same object again) */
export function registerDesign(d: Design): void {
  const old = designs().get(d.name);
  if (old && old !== d) throw new Error(`a design named '${d.name}' is already registered`);
  if (d.name === KERNEL_DESIGN) throw new Error(`'${KERNEL_DESIGN}' is reserved for the kernel without a design`);
  designs().set(d.name, d);
}

/** the hooks of the design installed in @w */
export function designOf(w: World): Design {
  if (w.design === KERNEL_DESIGN)
    return w.profile.version === '5.10' ? mainline510 : w.profile.version === '6.12' ? mainline612 : kernel62;
  const d = designs().get(w.design);
  if (!d) throw new Error(`design '${w.design}' is not registered`);
  return d;
}
