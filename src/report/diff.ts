/*
 * src/report/diff.ts - what one step changed, in kernel terms: domains, virqs and their
 * vectors, IRTEs, IMS slots, devices, mdevs (shown under each step by `irqcheck replay`)
 */
import type { VectorChipData, World } from '../../models/world/types.ts';
import { domainName } from '../../models/world/world.ts';

const keys = (r: object) => Object.keys(r).map(Number);
const hex = (v: number) => `0x${v.toString(16)}`;
const ranges = (xs: number[]) => {
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    out.push(i === j ? `${xs[i]}` : `${xs[i]}..${xs[j]}`);
    i = j;
  }
  return out.join(',');
};

function vectorOf(w: World, virq: number): string {
  const d = w.irqs[virq];
  const c = d?.levels[d.levels.length - 1]?.chip as VectorChipData | null | undefined;
  if (!c) return '-';
  if (c.kind !== 'vector') return 'demultiplexed (VMD)'; // a VMD child has no vector of its own
  if (c.vector !== 0)
    return `CPU${c.cpu}:${hex(c.vector)}${c.prevVector ? ` (prev CPU${c.prevCpu}:${hex(c.prevVector)})` : ''}`;
  return c.cfgVector ? `reserved (${hex(c.cfgVector)})` : 'none';
}

/** describeDiff() - one line per kind of change between @a and @b */
export function describeDiff(a: World, b: World): string[] {
  if (a === b) return [];
  const out: string[] = [];
  if (a.domains !== b.domains) {
    const added = keys(b.domains).filter((id) => !a.domains[id]);
    const gone = keys(a.domains).filter((id) => !b.domains[id]);
    if (added.length)
      out.push(
        `+ domain ${added.map((id) => `${b.domains[id]!.name} (parent ${domainName(b, b.domains[id]!.parent)})`).join(', ')}`,
      );
    if (gone.length) out.push(`- domain ${gone.map((id) => domainName(b, id)).join(', ')}`);
  }
  if (a.irqs !== b.irqs) {
    const added = keys(b.irqs).filter((v) => !a.irqs[v]);
    const gone = keys(a.irqs).filter((v) => !b.irqs[v]);
    if (added.length)
      out.push(
        `+ virq ${ranges(added)} via ${b.irqs[added[0]!]!.levels.map((l) => domainName(b, l.domain)).join(' -> ')}`,
      );
    if (gone.length) out.push(`- virq ${ranges(gone)}`);
    for (const v of keys(b.irqs).filter((x) => a.irqs[x] && a.irqs[x] !== b.irqs[x])) {
      const x = a.irqs[v]!;
      const y = b.irqs[v]!;
      const bits: string[] = [];
      if (x.activated !== y.activated) bits.push(y.activated ? 'activated' : 'deactivated');
      if (x.started !== y.started) bits.push(y.started ? 'started' : 'shut down');
      if (!!x.action !== !!y.action) bits.push(y.action ? 'handler installed' : 'handler removed');
      const vx = vectorOf(a, v);
      const vy = vectorOf(b, v);
      if (vx !== vy) bits.push(`vector ${vx} -> ${vy}`);
      if (bits.length) out.push(`~ virq ${v}: ${bits.join(', ')}`);
    }
  }
  for (const u of b.units) {
    const old = a.units[u.id]!;
    if (old === u) continue;
    const plus = u.irteBitmap.filter((i) => !old.irteBitmap.includes(i));
    const minus = old.irteBitmap.filter((i) => !u.irteBitmap.includes(i));
    const present = keys(u.irtes).filter((i) => u.irtes[i]!.present && !old.irtes[i]?.present);
    const cleared = keys(old.irtes).filter((i) => old.irtes[i]!.present && !u.irtes[i]?.present);
    const bits = [
      plus.length && `+IRTE ${ranges(plus)}`,
      minus.length && `-IRTE ${ranges(minus)}`,
      present.length && `present ${ranges(present)}`,
      cleared.length && `not present ${ranges(cleared)}`,
    ];
    if (old.present !== u.present) bits.push(u.present ? 'hot-added' : 'hot-removed');
    const text = bits.filter(Boolean).join(', ');
    if (text) out.push(`~ ${u.name}: ${text}`);
  }
  if (a.dsa !== b.dsa) {
    for (const pf of Object.values(b.dsa)) {
      const old = a.dsa[pf.dev];
      if (!old || old === pf) continue;
      const slots = pf.ims.flatMap((e, i) =>
        e !== old.ims[i] ? [`slot ${i} ${e.msg ? 'msg' : 'zero'}${e.pasidEn ? ` pasid ${e.pasid}` : ''}`] : [],
      );
      const bits = [
        old.driver.probed !== pf.driver.probed && (pf.driver.probed ? 'idxd probed' : 'idxd removed'),
        old.enabled !== pf.enabled && (pf.enabled ? 'enabled' : 'disabled'),
        ...slots,
      ];
      const wqs = pf.wqs
        .filter((q, i) => q.enabled !== old.wqs[i]!.enabled)
        .map((q) => `wq${q.id} ${q.enabled ? 'enabled' : 'disabled'}`);
      const text = [...bits, ...wqs].filter(Boolean).join(', ');
      if (text) out.push(`~ ${b.devices[pf.dev]?.name}: ${text}`);
    }
  }
  if (a.devices !== b.devices) {
    for (const d of Object.values(b.devices)) {
      const old = a.devices[d.id];
      if (!old) {
        out.push(`+ device ${d.name}`);
        continue;
      }
      if (old === d) continue;
      const bits = [
        old.driver !== d.driver && (d.driver ? `bound to ${d.driver}` : 'unbound'),
        old.msiDomain !== d.msiDomain && `msi_domain -> ${domainName(b, d.msiDomain)}`,
        old.released !== d.released && 'released',
        old.msiEnabled !== d.msiEnabled && `MSI: ${d.msiEnabled ?? 'off'}`,
      ];
      const text = bits.filter(Boolean).join(', ');
      if (text) out.push(`~ ${d.name}: ${text}`);
    }
  }
  if (a.mdevs !== b.mdevs) {
    for (const id of keys(b.mdevs).filter((m) => !a.mdevs[m])) out.push(`+ mdev${id} (PASID ${b.mdevs[id]!.pasid})`);
    for (const id of keys(a.mdevs).filter((m) => !b.mdevs[m])) out.push(`- mdev${id}`);
    for (const m of Object.values(b.mdevs))
      if (a.mdevs[m.id] && a.mdevs[m.id]!.open !== m.open)
        out.push(`~ mdev${m.id}: ${m.open ? `open, IMS slot ${m.imsIndex.join(',')}` : 'closed'}`);
  }
  if (a.cpuOnline !== b.cpuOnline) {
    b.cpuOnline.forEach((on, c) => on !== a.cpuOnline[c] && out.push(`~ CPU${c} ${on ? 'online' : 'offline'}`));
  }
  return out;
}
