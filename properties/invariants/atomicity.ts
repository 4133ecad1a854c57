/*
 * properties/invariants/atomicity.ts - failed operations leave no trace (spec I8)
 *
 * Compares the resources of I1-I7 (virqs, vectors, reservations, IRTEs, descs, devids, direct
 * allocations) before and after an operation that returned an error. Domains and devres a failed
 * call created on the way (a 6.2 device domain kept for reuse) are not resources in this sense.
 */
import type { StepInvariant } from '../invariant.ts';
import type { World } from '../../models/world/types.ts';

/** the resources a failed operation must not change */
function resourceFingerprint(w: World): string {
  return JSON.stringify([
    w.irqs,
    matrixResources(w),
    w.units.map((u) => [u.irteBitmap, u.irtes]),
    w.descs,
    deviceMsiState(w),
    w.platformDevids,
    w.coreAllocs,
  ]);
}

/** managed reservations are anonymous bits (irq_matrix_remove_managed() gives back any free one): count them */
const matrixResources = (w: World) => ({
  ...w.matrix,
  maps: w.matrix.maps.map((cm) => ({
    ...cm,
    managedMap: cm.managedMap.filter((b) => cm.allocMap.includes(b)),
    managedReserved: cm.managedMap.length,
  })),
});

/** a device's MSI resources; an empty msi data devres is not a resource */
const deviceMsiState = (w: World) =>
  Object.values(w.devices).map((d) => [
    d.msiList,
    d.msiData?.stores ?? [{}, {}],
    d.platformDevid,
    d.msiData?.platformDevid ?? null,
    d.msiEnabled,
  ]);

/** the resource that differs, for the message */
function firstDifference(a: World, b: World): string {
  const parts: [string, (w: World) => unknown][] = [
    ['virqs', (w) => Object.keys(w.irqs)],
    ['irq state', (w) => w.irqs],
    ['vector matrix', matrixResources],
    ['IRTEs', (w) => w.units.map((u) => [u.irteBitmap, u.irtes])],
    ['msi_descs', (w) => w.descs],
    ['device MSI state', deviceMsiState],
    ['platform-MSI devids', (w) => w.platformDevids],
  ];
  for (const [name, f] of parts) if (JSON.stringify(f(a)) !== JSON.stringify(f(b))) return name;
  return 'resources';
}

export const failedOpAtomic: StepInvariant = {
  id: 'failed-op-atomic',
  category: 'atomicity',
  spec: 'I8',
  scope: 'step',
  statement:
    'an operation that returns an error leaves every resource (virqs, vectors, IRTEs, descs, devids) as it found them',
  kernel: 'kernel/irq/irqdomain.c __irq_domain_alloc_irqs() unwinding; kernel/irq/msi.c msi_domain_alloc_locked()',
  check(before, op, o) {
    if (o.kind !== 'err') return null;
    if (o.world === before) return null;
    if (resourceFingerprint(before) === resourceFingerprint(o.world)) return null;
    const added = Object.keys(o.world.irqs).filter((v) => !before.irqs[Number(v)]);
    const what = firstDifference(before, o.world);
    return `${op.type} failed (-${o.errno}: ${o.why}) but changed the ${what}${added.length ? `: irq ${added.join(', ')} left allocated` : ''}`;
  },
};

export const atomicityInvariants = [failedOpAtomic];
