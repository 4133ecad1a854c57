/*
 * models/drivers/irqchip/mbigen.ts - the HiSilicon mbigen, a wired-to-MSI bridge (drivers/irqchip/irq-mbigen.c)
 *
 * At probe the mbigen creates a platform-MSI device domain for itself on its msi_domain (ITS-pMSI)
 * with one interrupt per wired pin (mbigen_of_create_domain() -> platform_msi_create_device_domain()).
 * A wired interrupt is mapped when a consumer looks it up (irq_create_fwspec_mapping(): one virq
 * through mbigen -> ITS-pMSI -> ITS) and unmapped with irq_dispose_mapping(). The mbigen driver
 * cannot be unbound (suppress_bind_attrs): its domain lives as long as the system.
 */
import type { CpuId, DevId, DomainId, MbigenChipData, Virq, World } from '../../world/types.ts';
import { noArg, type AllocArg, type DomainOps } from '../../kernel/irq/hierarchy.ts';
import { err, ok, okVoid, type Outcome } from '../../world/outcome.ts';
import { irqDomainAllocIrqs, irqDomainFreeIrqs } from '../../kernel/irq/irqdomain.ts';
import {
  platformMsiCreateDeviceDomain,
  platformMsiDeviceDomainAlloc,
  platformMsiDeviceDomainFree,
} from '../base/platform-msi-device.ts';
import { levelOf, putLevel, updDevice } from '../../world/world.ts';
import { recValues } from '../../world/util.ts';
import { msiDomainSetAffinity } from '../../kernel/irq/msi-domain.ts';

export const MBIGEN_DRIVER = 'mbigen';

/** the mbigen chip's irq_set_affinity: irq_chip_set_affinity_parent(), to the platform-MSI level below */
export const mbigenSetAffinity = (w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> =>
  msiDomainSetAffinity(w, virq, lvl + 1, dest);

/** the mbigen domain of @dev, if it has one */
export const mbigenDomainOf = (w: World, dev: DevId): DomainId | null =>
  recValues(w.domains).find((d) => d.kind === 'mbigen' && d.dev === dev)?.id ?? null;

/** the number of wired pins of @dev (its platform configuration) */
export const mbigenPins = (w: World, dev: DevId): number => w.config.devices[dev]?.mbigenPins ?? 0;

/** the virq a pin is mapped to in @domain (irq_find_mapping()), or null */
export function mbigenMapping(w: World, domain: DomainId, pin: number): Virq | null {
  for (const d of recValues(w.irqs)) {
    const l = d.levels[0];
    if (l && l.domain === domain && l.chip !== null && l.hwirq === pin) return d.virq;
  }
  return null;
}

/**
 * mbigenProbe() - bind the mbigen driver at boot: its msi_domain is ITS-pMSI (of_msi_configure())
 * and it creates its platform-MSI device domain with one interrupt per pin
 * Kernel: drivers/irqchip/irq-mbigen.c mbigen_device_probe(), mbigen_of_create_domain()
 */
export function mbigenProbe(w: World, dev: DevId, msiDomain: DomainId): World {
  const pins = mbigenPins(w, dev);
  const out = updDevice(w, dev, (x) => ({ ...x, msiDomain, driver: MBIGEN_DRIVER }));
  const r = platformMsiCreateDeviceDomain(out, dev, pins, 'mbigen', `mbigen-${w.devices[dev]!.name}`);
  return r.kind === 'ok' ? r.world : w;
}

/**
 * mbigenIrqDomainAlloc() - translate the pin, populate through the platform-MSI device domain,
 * then set this level's hwirq and chip
 * Kernel: drivers/irqchip/irq-mbigen.c mbigen_irq_domain_alloc()
 */
function mbigenIrqDomainAlloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  const domain = w.domains[levelOf(w, virq, lvl).domain]!;
  const r = platformMsiDeviceDomainAlloc(w, lvl, virq, n, domain.dev!, arg);
  if (r.kind !== 'ok') return r;
  let out = r.world;
  for (let i = 0; i < n; i++) {
    const chip: MbigenChipData = { kind: 'mbigen', pin: arg.hwirqBase + i };
    out = putLevel(out, virq + i, lvl, { ...levelOf(out, virq + i, lvl), hwirq: arg.hwirqBase + i, chip });
  }
  return okVoid(out);
}

/**
 * mbigenIrqDomainFree() - through the platform-MSI device domain's free, which frees the descs
 * Kernel: drivers/irqchip/irq-mbigen.c mbigen_irq_domain_free() (edfc23f6f9fd)
 */
function mbigenIrqDomainFree(w: World, lvl: number, virq: Virq, n: number): World {
  // (B06, the .free before edfc23f6f9fd, is the overlay in models/faults/overlays.ts)
  const domain = w.domains[levelOf(w, virq, lvl).domain]!;
  return platformMsiDeviceDomainFree(w, lvl, virq, n, domain.dev!);
}

/** the mbigen has no activate callback: the level is live once its parents are */
export const mbigenDomainOps: DomainOps = {
  alloc: mbigenIrqDomainAlloc,
  free: mbigenIrqDomainFree,
  activate: (w, lvl, virq) => okVoid(putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: true })),
  deactivate: (w, lvl, virq) => putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: false }),
};

/**
 * irqCreateFwspecMapping() - map wired pin @pin of mbigen @dev: an existing mapping is returned
 * as is; a pin beyond the mbigen's is -EINVAL (mbigen_domain_translate())
 * Kernel: kernel/irq/irqdomain.c irq_create_fwspec_mapping() -> irq_domain_alloc_irqs()
 */
export function irqCreateFwspecMapping(w: World, dev: DevId, pin: number): Outcome<Virq> {
  const domain = mbigenDomainOf(w, dev);
  if (domain === null)
    return err(w, 'ENODEV', `no irq domain for the fwspec of ${w.devices[dev]?.name ?? `device #${dev}`}`);
  if (pin < 0 || pin >= mbigenPins(w, dev)) return err(w, 'EINVAL', `mbigen_domain_translate: pin ${pin} out of range`);
  const have = mbigenMapping(w, domain, pin);
  if (have !== null) return ok(w, have);
  return irqDomainAllocIrqs(
    w,
    domain,
    1,
    { ...noArg, dev, hwirqBase: pin },
    { owner: null, affinity: null, managed: false },
  );
}

/**
 * irqDisposeMapping() - unmap @virq: nothing if it is not mapped, else irq_domain_free_irqs()
 * Kernel: kernel/irq/irqdomain.c irq_dispose_mapping(), irq_domain_free_one_irq()
 */
export function irqDisposeMapping(w: World, virq: Virq): Outcome<void> {
  if (!w.irqs[virq]) return okVoid(w);
  return irqDomainFreeIrqs(w, virq, 1);
}
