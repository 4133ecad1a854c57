/*
 * test/fidelity/designs.test.ts - each built-in design builds the hierarchy its proposal
 * describes (spec 3.3 (a)-(d), 2.8) and tears it down (or not) where the proposal does
 *
 * These are facts about the designs' code, checked call by call; the verdicts about them come
 * only from the engine (test/engine/designs.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import { smallConfig } from '../../models/world/platform.ts';
import { findDesign } from '../../models/designs/index.ts';
import type { World, IrChipData } from '../../models/world/types.ts';
import { step } from '../../models/step.ts';
import { checkState } from '../../properties/index.ts';
import { DSA0, DSA1 } from '../helpers.ts';
import { must } from './util.ts';
import { dmarRemove, mdevCreate, mdevOpen, mdevRelease, mdevRemove, readyOps } from './dsa/util.ts';

function bootDesign(name: string): World {
  const d = findDesign(name)!;
  return bootWorld(kernelProfile(d.kernel, { quirks: false }), smallConfig, d);
}

/** @pf ready, mdev0 created on wq1 and opened: the guest's one IMS-backed vector */
const openMdev = (w: World, pf: number): World => must(w, ...readyOps(pf), mdevCreate(pf, 1), mdevOpen(0));

const domainNamed = (w: World, name: string) => Object.values(w.domains).find((d) => d.name === name);
const irOf = (w: World, virq: number): IrChipData =>
  w.irqs[virq]!.levels.find((l) => l.chip?.kind === 'ir')!.chip as IrChipData;
const chainNames = (w: World, virq: number): string[] => w.irqs[virq]!.levels.map((l) => w.domains[l.domain]!.name);

describe('rfc-v2-dev-msi (a) [RFC v2 02-04/18; spec 2.8, 3.3 (a)]', () => {
  it('boot: an INTEL-IR-DEV-MSI platform-MSI domain per IR unit; the first is the global default', () => {
    const w = bootDesign('rfc-v2-dev-msi');
    const d0 = domainNamed(w, 'INTEL-IR-DEV-MSI-0')!;
    const d1 = domainNamed(w, 'INTEL-IR-DEV-MSI-1')!;
    expect([d0.busToken, d0.parent, d1.parent]).toEqual(['PLATFORM_MSI', w.units[0]!.irDomain, w.units[1]!.irDomain]);
    expect(w.designDomains['dev_msi_default_domain']).toBe(d0.id);
    expect(checkState(w)).toEqual([]);
  });

  it('dev_msi_domain_alloc_irqs() gives an mdev of DSA1 (DRHD1) the global default: its IRTE lands in DRHD0, SVT=0', () => {
    const w = openMdev(bootDesign('rfc-v2-dev-msi'), DSA1);
    const m = w.mdevs[0]!;
    expect(chainNames(w, m.irqs[0]!)).toEqual(['INTEL-IR-DEV-MSI-0', 'INTEL-IR-0', 'VECTOR']);
    expect(irOf(w, m.irqs[0]!)).toMatchObject({ unit: 0, svt: 0, sid: 0 });
    // the message written into DSA1's IMS slot names DRHD0's table
    expect(w.dsa[DSA1]!.ims[m.imsIndex[0]!]!.msg).toMatchObject({ format: 'remappable', unit: 0 });
    expect(w.devices[m.dev]!.msiDomain).toBe(domainNamed(w, 'INTEL-IR-DEV-MSI-0')!.id);
  });

  it('v3 vidxd_setup_ims_entries(): a failed allocation is cleaned up, but open returns 0 with no vector', () => {
    const w = must(bootDesign('rfc-v2-dev-msi'), ...readyOps(DSA0), mdevCreate(DSA0, 1));
    const o = step(w, mdevOpen(0, { site: 'irte', index: 0 }));
    expect(o.kind).toBe('ok');
    expect(o.world.mdevs[0]).toMatchObject({ open: true, imsIndex: [], irqs: [] });
    expect(o.world.units[0]!.irteBitmap).toEqual(w.units[0]!.irteBitmap);
  });

  it('DMAR hot-remove of DRHD1 (after its PF is gone) leaves INTEL-IR-DEV-MSI-1 on the removed IR domain', () => {
    const w = must(bootDesign('rfc-v2-dev-msi'), { type: 'deviceUnregister', dev: DSA1 }, dmarRemove(1));
    const d1 = domainNamed(w, 'INTEL-IR-DEV-MSI-1')!;
    expect(w.domains[d1.parent!]).toBeUndefined();
  });
});

describe('assign-domain (b) [spec 3.3 (b)]', () => {
  it("mdev create assigns a DEV-MSI domain under the PF unit's INTEL-IR; open allocates there with SID unset", () => {
    const w = openMdev(bootDesign('assign-domain'), DSA1);
    const m = w.mdevs[0]!;
    expect(chainNames(w, m.irqs[0]!)).toEqual(['DEV-MSI-mdev0', 'INTEL-IR-1', 'VECTOR']);
    expect(irOf(w, m.irqs[0]!)).toMatchObject({ unit: 1, svt: 0 });
    expect(w.domains[w.devices[m.dev]!.msiDomain!]).toMatchObject({
      busToken: 'PLATFORM_MSI',
      creator: 'driver',
      dev: m.dev,
    });
  });

  it('mdev remove (after release) removes the domain it assigned', () => {
    const w = must(openMdev(bootDesign('assign-domain'), DSA0), mdevRelease(0), mdevRemove(0));
    expect(domainNamed(w, 'DEV-MSI-mdev0')).toBeUndefined();
    expect(checkState(w)).toEqual([]);
  });
});

describe('device-domain (c) [2021 IMS series; spec 3.3 (c)]', () => {
  it("probe creates IMS-<PF> (DEVICE_MSI) under the PF unit's INTEL-IR; the mdev allocates there, hwirq = IMS slot", () => {
    const w = openMdev(bootDesign('device-domain'), DSA1);
    const m = w.mdevs[0]!;
    const ims = domainNamed(w, 'IMS-0000:6f:01.0')!;
    expect([ims.busToken, ims.parent, ims.dev, ims.msiInfo!.hwsize]).toEqual([
      'DEVICE_MSI',
      w.units[1]!.irDomain,
      DSA1,
      16,
    ]);
    expect(chainNames(w, m.irqs[0]!)).toEqual(['IMS-0000:6f:01.0', 'INTEL-IR-1', 'VECTOR']);
    expect(w.irqs[m.irqs[0]!]!.levels[0]!.hwirq).toBe(m.imsIndex[0]);
    expect(irOf(w, m.irqs[0]!).svt).toBe(0); // x86 msi_prepare of a non-PCI device: DEV_MSI
  });

  it('PF unbind removes mdevs first, then the IMS domain', () => {
    const w = must(openMdev(bootDesign('device-domain'), DSA0), { type: 'deviceReleaseDriver', dev: DSA0 });
    expect(domainNamed(w, 'IMS-0000:6a:01.0')).toBeUndefined();
    expect(Object.keys(w.mdevs)).toEqual([]);
    expect(checkState(w)).toEqual([]);
  });
});

describe('per-device-msi (d) [6.2 pci_create_ims_domain(); spec 3.3 (d)]', () => {
  it('the PF gets IR-IMS-<PF> under INTEL-IR-<U>; the mdev vector is allocated on the PF and verifies its RID', () => {
    const w = openMdev(bootDesign('per-device-msi'), DSA1);
    const m = w.mdevs[0]!;
    expect(chainNames(w, m.irqs[0]!)).toEqual(['IR-IMS-0000:6f:01.0', 'INTEL-IR-1', 'VECTOR']);
    expect(irOf(w, m.irqs[0]!)).toMatchObject({ unit: 1, svt: 1, sid: w.devices[DSA1]!.rid });
    expect(w.devices[m.dev]!.msiDomain).toBeNull();
    expect(checkState(w)).toEqual([]);
  });
});
