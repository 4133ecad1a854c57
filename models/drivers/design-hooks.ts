/*
 * models/drivers/design-hooks.ts - the hook table of an mdev interrupt API design, as the idxd,
 * vdcm and DMAR drivers call it (the design interface, explained in models/designs/design.ts)
 *
 * A design is a struct of callbacks the drivers call at fixed points, like a struct
 * device_driver or struct irq_domain_ops: the drivers know the type, never the designs. Which
 * design a world runs is a name in the world; the composition root (models/machine/) registers
 * the lookup from that name to the hooks (models/designs/index.ts designOf()).
 */
import type { CpuId, DevId, Mdev, UnitId, Virq, World } from '../world/types.ts';
import type { KernelFeature, KernelVersion } from '../world/profile.ts';
import type { FailPoint } from '../world/alloc.ts';
import type { Outcome } from '../world/outcome.ts';

/** one IMS-backed guest vector: the PF IMS slot that carries it and its host virq */
export interface ImsVector {
  readonly slot: number;
  readonly virq: Virq;
}

export interface Design {
  /** what users type: kebab-case, unique */
  readonly name: string;
  /** one line for listings */
  readonly summary: string;
  /** one paragraph a reviewer reads first: the API, who owns what, the choices made */
  readonly description: string;
  /** the kernel profile it is written against, and the non-mainline features its series adds */
  readonly kernel: KernelVersion;
  readonly features?: readonly KernelFeature[];
  /** what the design takes for granted (about the platform, callers, other subsystems) */
  readonly assumptions: readonly string[];

  /** end of boot, after every IR unit is up (initcalls of the design's core code) */
  readonly boot?: (w: World) => World;
  /** an IR unit's domains exist now (at boot, in unit order, and after a DMAR hot-add) */
  readonly irUnitAdded?: (w: World, unit: UnitId) => World;
  /** a DMAR unit passed the hot-remove checks; its IR domain is removed right after this */
  readonly irUnitRemoving?: (w: World, unit: UnitId) => Outcome<void>;
  /** idxd probe after MSI-X: set up IMS. ok(true) registers the PF as an mdev parent */
  readonly pfProbe: (w: World, pf: DevId) => Outcome<boolean>;
  /** idxd remove: every mdev of @pf is gone; MSI-X and devres go after this */
  readonly pfRemove: (w: World, pf: DevId) => Outcome<void>;
  /** the mdev's struct device exists (mdev.dev); a failure makes the create fail */
  readonly mdevCreate?: (w: World, mdev: Mdev) => Outcome<void>;
  /**
   * the guest opens the mdev: @nvec IMS-backed interrupts (allocated, not yet requested). The
   * common code then binds each slot on the mdev, sets the slot's PASID filter and calls
   * request_irq(), which activates the interrupt and writes its message into the slot.
   * @fail is an injected allocation failure to pass to the kernel calls.
   */
  readonly mdevAllocIrqs: (w: World, mdev: Mdev, nvec: number, fail: FailPoint | null) => Outcome<readonly ImsVector[]>;
  /** the guest closes: free what mdevAllocIrqs gave (handlers are already freed, slots unbound later) */
  readonly mdevFreeIrqs: (w: World, mdev: Mdev) => Outcome<void>;
  /** the mdev goes (after release); its struct device is unregistered right after this */
  readonly mdevRemove?: (w: World, mdev: Mdev) => Outcome<void>;
  /** a CPU went offline (online = false) or came online, after the kernel's own handling */
  readonly cpuHotplug?: (w: World, cpu: CpuId, online: boolean) => Outcome<void>;
}

/** find the hooks of the design installed in a world (filled by models/machine/) */
let lookup: ((w: World) => Design) | undefined;

export function registerDesignLookup(f: (w: World) => Design): void {
  lookup = f;
}

/** the hooks of the design installed in @w */
export function designHooks(w: World): Design {
  if (lookup === undefined)
    throw new Error(`no design lookup registered for design '${w.design}' (models/machine fills it: is it imported?)`);
  return lookup(w);
}
