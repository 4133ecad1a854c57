/*
 * models/kernel/irq/msi-sysfs.ts - the msi_irqs/ directory of a PCI device (5.10 drivers/pci/msi.c)
 *
 * Modelled: one file msi_irqs/<irq> per vector of an enabled MSI/MSI-X device
 * (populate_msi_sysfs() at the end of msi_capability_init()/msix_capability_init()); a reader
 * inside its show() (msi_mode_show(): irq_get_msi_desc(irq), then entry->msi_attrib.is_msix)
 * holds a kernfs active reference and is a task in flight (models/kernel/irq/concurrency.ts): the
 * lookup is one step, the dereference another. Removing the files (msi_destroy_sysfs() ->
 * sysfs_remove_groups() -> kernfs_remove() -> kernfs_drain()) waits for the active readers, so
 * the readers' second step runs then, in the order they started.
 * Left out: the 6.2 per-descriptor files (msi_sysfs_populate_desc()): the reader is offered on
 * 5.10 only.
 */
import type { DevId, Virq, World } from '../../world/types.ts';
import { err, ok, okVoid, uaf, type Outcome } from '../../world/outcome.ts';
import { beginTask, endTask, tasksOf, type InFlight, type TaskId } from '../../world/tasks.ts';
import { deviceName } from '../../world/world.ts';

/** the files of msi_irqs/: every vector of the descs on dev->msi_list while MSI(-X) is enabled */
export function msiIrqsFiles(w: World, dev: DevId): Virq[] {
  const d = w.devices[dev];
  if (!d || d.released || d.msiEnabled === null || w.profile.version !== '5.10') return [];
  return d.msiList.flatMap((id) => {
    const desc = w.descs[id];
    return desc && desc.irq !== 0 ? Array.from({ length: desc.nvecUsed }, (_, i) => desc.irq + i) : [];
  });
}

/**
 * msiIrqsShow() - a reader opens msi_irqs/<virq> and enters show(): kernfs_get_active(), then
 * irq_get_msi_desc(virq). It now holds the desc pointer and has not dereferenced it yet.
 * Kernel: fs/kernfs/file.c kernfs_fop_read_iter() (kernfs_get_active), drivers/pci/msi.c
 * msi_mode_show() (5.10)
 */
export function msiIrqsShow(w: World, dev: DevId, virq: Virq): Outcome<TaskId> {
  if (!msiIrqsFiles(w, dev).includes(virq)) return err(w, 'ENODEV', `${deviceName(w, dev)}: no msi_irqs/${virq}`);
  const owner = w.irqs[virq]?.owner;
  if (owner?.kind !== 'msi') return err(w, 'ENODEV', `msi_mode_show(${virq}): irq_get_msi_desc() is NULL`);
  const r = beginTask(w, { kind: 'sysfs-read', dev, virq, desc: owner.desc });
  return ok(r.w, r.id);
}

/**
 * msiIrqsShowFinish() - the reader reads entry->msi_attrib.is_msix and drops its active reference
 * Kernel: drivers/pci/msi.c msi_mode_show() (5.10), fs/kernfs/dir.c kernfs_put_active()
 */
export function msiIrqsShowFinish(w: World, t: Extract<InFlight, { kind: 'sysfs-read' }>): Outcome<void> {
  const out = endTask(w, t.id);
  if (!w.descs[t.desc])
    return uaf(out, `msi_mode_show(${t.virq}) of ${deviceName(w, t.dev)}: reads msi_desc #${t.desc}, which was freed`);
  return okVoid(out);
}

/**
 * msiIrqsDrain() - the files of @dev go away: every reader inside one of them finishes first
 * Kernel: fs/kernfs/dir.c kernfs_drain() (waits until the active count drops to zero)
 */
export function msiIrqsDrain(w: World, dev: DevId): Outcome<void> {
  let out = w;
  for (const t of tasksOf(w)) {
    if (t.kind !== 'sysfs-read' || t.dev !== dev) continue;
    const r = msiIrqsShowFinish(out, t);
    if (r.kind !== 'ok') return r;
    out = r.world;
  }
  return okVoid(out);
}
