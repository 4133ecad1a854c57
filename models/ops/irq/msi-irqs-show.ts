/*
 * models/ops/irq/msi-irqs-show.ts - a sysfs reader enters msi_mode_show() of msi_irqs/<irq>
 *   (kernel/irq/msi.c); a concurrent task
 */
import { z } from 'zod';
import { MAX_TASKS, tasksOf } from '../../kernel/irq/concurrency.ts';
import { msiIrqsFiles, msiIrqsShow } from '../../kernel/irq/msi-sysfs.ts';
import { nat } from '../args.ts';
import { liveDevices } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'msiIrqsShow',
  z.object({ dev: nat, virq: nat }),
)({
  step: (w, o) => msiIrqsShow(w, o.dev, o.virq),
  render: (w, o) => `cat /sys/bus/pci/devices/${deviceName(w, o.dev)}/msi_irqs/${o.virq}  # enters msi_mode_show()`,
  // concurrent tasks (models/kernel/irq/concurrency.ts), only on a platform that runs them
  // anyone may read sysfs: every msi_irqs/<irq> file of every device, legal or not
  candidates: (w) =>
    w.config.concurrency && tasksOf(w).length < MAX_TASKS
      ? liveDevices(w).flatMap((d) => msiIrqsFiles(w, d.id).map((virq) => ({ dev: d.id, virq })))
      : [],
  build: (_w, _m, _c, x) => ({ type: 'msiIrqsShow', ...x }),
  handle: (x) => x,
  explore: 'variants',
});
