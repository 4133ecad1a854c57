/*
 * models/kernel/irq/fwnode.ts - named firmware nodes of irq domains (kernel/irq/irqdomain.c)
 *
 * Code that has no firmware description (x86 vector, PCI-MSI, the Intel IR units, 6.2 per-device
 * MSI domains) names its domain with irq_domain_alloc_named_fwnode(). The domain keeps the
 * pointer for its whole life (e3beca48a45b), and whoever removes the domain frees the fwnode
 * after irq_domain_remove() (ec0160891e38; msi_remove_device_irq_domain() since ac8f29aef2f1).
 */
import type { FwnodeId, World } from '../../world/types.ts';
import { okVoid, uaf, type Outcome } from '../../world/outcome.ts';
import { irqDomainCreateHierarchy, type NewDomain } from './irqdomain.ts';
import { recDel, recPut } from '../../world/util.ts';

/** irq_domain_alloc_named_fwnode() */
export function irqDomainAllocNamedFwnode(w: World, name: string): { w: World; id: FwnodeId } {
  const id = w.nextFwnode;
  return { w: { ...w, fwnodes: recPut(w.fwnodes, id, name), nextFwnode: id + 1 }, id };
}

/** irq_domain_free_fwnode(): kfree of the irqchip_fwid; a second free is a double free */
export function irqDomainFreeFwnode(w: World, id: FwnodeId): Outcome<void> {
  if (w.fwnodes[id] === undefined)
    return uaf(w, `irq_domain_free_fwnode: fwnode #${id} was already freed (double free)`);
  return okVoid({ ...w, fwnodes: recDel(w.fwnodes, id) });
}

/** the fields of a domain created at boot that is neither an MSI domain nor an IR domain */
export const bootPlainDomain = {
  msiDevice: false,
  isolatedMsi: false,
  dev: null,
  unit: null,
  msiInfo: null,
  creator: 'boot',
} as const;

/** a named fwnode, then the domain on it (the pattern of every non-firmware domain creator) */
export function irqDomainCreateNamed(w: World, spec: NewDomain): { w: World; id: number } {
  const f = irqDomainAllocNamedFwnode(w, spec.name);
  return irqDomainCreateHierarchy(f.w, { ...spec, fwnode: f.id });
}

/** the remover's part after irq_domain_remove(): free the domain's named fwnode, if any */
export function freeDomainFwnode(w: World, fwnode: FwnodeId | undefined): Outcome<void> {
  return fwnode === undefined ? okVoid(w) : irqDomainFreeFwnode(w, fwnode);
}
