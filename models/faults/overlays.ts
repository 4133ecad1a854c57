/*
 * models/faults/overlays.ts - catalog faults that are a callback of their own: while one is
 * switched on, its slots replace the domain kind's irq_domain_ops slots, as the kernel before the
 * fix had them in its ops table. The machine registers them (models/machine/index.ts); the
 * drivers' own tables hold only the fixed code. The other faults change a line inside a
 * function and stay named hasFault() sites (see the catalog's `model` field).
 */
import type { DomainOpsOverlay } from '../kernel/irq/registry.ts';
import { irqDomainFreeIrqsCommon } from '../drivers/base/platform-msi-device.ts';

/**
 * B06 (edfc23f6f9fd): before the fix, mbigen_domain_ops' .free was irq_domain_free_irqs_common():
 * the levels went, the platform-MSI device domain's free never ran and the msi_descs stayed
 */
export const b06MbigenFree: DomainOpsOverlay = { fault: 'B06', kind: 'mbigen', ops: { free: irqDomainFreeIrqsCommon } };

export const domainOpsOverlays: readonly DomainOpsOverlay[] = [b06MbigenFree];
