/*
 * models/designs/design.ts - the design interface: how an API proposal for giving mdevs their
 * interrupts plugs into the model (README.md in this folder explains it with an example)
 *
 * A design is data (name, description, kernel it needs, assumptions) plus an ops table of pure
 * functions, as a kernel driver is a struct of callbacks. The model calls the hooks at the
 * points where the kernel would call into the proposal's code:
 *
 *   boot / IR unit up     intel_setup_irq_remapping(), dmar_ir_add()       -> irUnitAdded
 *   end of boot           the design's initcalls                           -> boot
 *   DMAR hot-remove       dmar_ir_hotplug(remove), before the IR domain goes -> irUnitRemoving
 *   idxd probe            idxd_pci_probe(), after MSI-X is set up            -> pfProbe
 *   idxd remove           idxd_remove(), after every mdev is gone            -> pfRemove
 *   mdev create           idxd_vdcm_create()                                 -> mdevCreate
 *   mdev open (guest)     idxd_vdcm_open() -> vidxd_setup_ims_entries()      -> mdevAllocIrqs
 *   mdev release          idxd_vdcm_release() -> vidxd_free_ims_entries()    -> mdevFreeIrqs
 *   mdev remove           idxd_vdcm_remove()                                 -> mdevRemove
 *   CPU hotplug           after the kernel's own offline/online handling     -> cpuHotplug
 *
 * Everything around the hooks is common driver code (models/dsa): the WQ reference, request_irq
 * of each vector, the IMS PASID filter, the mdev's struct device. A hook uses only the kernel
 * model's primitives (models/kernel/*) and returns an Outcome: ok, err(errno), warned, bug or
 * use-after-free, exactly as the kernel function it stands for would end.
 */
import type { CpuId, DevId, UnitId, Virq, World } from '../world/types.ts';
import type { KernelFeature, KernelVersion } from '../world/profile.ts';
import type { FailPoint } from '../kernel/irq/hierarchy.ts';
import type { Outcome } from '../world/outcome.ts';
import type { Mdev } from '../drivers/dma/idxd/types.ts';

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

/** the hooks a design must implement (the rest are optional) */
export const requiredHooks = ['pfProbe', 'pfRemove', 'mdevAllocIrqs', 'mdevFreeIrqs'] as const;
export const optionalHooks = ['boot', 'irUnitAdded', 'irUnitRemoving', 'mdevCreate', 'mdevRemove', 'cpuHotplug'] as const;
