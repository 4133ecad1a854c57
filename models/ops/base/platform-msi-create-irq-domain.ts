/*
 * models/ops/base/platform-msi-create-irq-domain.ts - platform_msi_create_irq_domain(): a platform-MSI
 *   domain on a parent (drivers/base/platform-msi.c)
 */
import { z } from 'zod';
import { platformMsiCreateIrqDomain } from '../../drivers/base/platform-msi.ts';
import { nat } from '../args.ts';
import { allDomainIds } from '../handles.ts';
import { domainName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'platformMsiCreateIrqDomain',
  z.object({ parent: nat }),
)({
  step: (w, o) => {
    const r = platformMsiCreateIrqDomain(w, o.parent, `PLATFORM-MSI-${w.nextDomainId}`, { lastStep: true });
    return { kind: 'ok', world: r.w, value: r.id };
  },
  render: (w, o) => `platform_msi_create_irq_domain(parent=${domainName(w, o.parent)})`,
  candidates: (w, mode) => {
    const callerDomains = Object.values(w.domains).filter((d) => d.creator === 'caller').length;
    if (callerDomains >= 2) return [];
    // no x86 vector domain (a GIC-ITS platform): its platform-MSI domain exists from boot
    if (!w.domains[w.vectorDomain] && mode === 'legal') return [];
    return mode === 'legal' ? [w.vectorDomain] : allDomainIds(w);
  },
  build: (_w, _m, _c, parent) => ({ type: 'platformMsiCreateIrqDomain', parent }),
  handle: (parent) => ({ parent }),
  explore: 'variants',
});
