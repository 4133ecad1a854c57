/*
 * Fidelity: DMAR unit hot remove and hot add, interrupt-remapping part (spec 2.9, 7.4; I17)
 * Small config: DRHD0 scopes 0000:6a:01.0 (DSA0) and 0000:17:00.0 (NIC); DRHD1 is the
 * include_all unit and covers 0000:6f:01.0 (DSA1).
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0, DSA1, NIC } from '../../helpers.ts';
import { freeVectors, hasDomain, msix, must, probe, run } from '../util.ts';
import { dmarAdd, dmarRemove, idxdProbe } from './util.ts';

const names = (w: Parameters<typeof hasDomain>[0]) => Object.values(w.domains).map((d) => d.name);

describe('DMAR hot-remove', () => {
  it('DMAR hot-remove is -EBUSY while any IRTE is allocated [irq_remapping.c dmar_ir_hotplug]', () => {
    const w1 = must(boot('6.2'), idxdProbe(DSA1));
    expect(w1.units[1]!.irteBitmap).toHaveLength(9);
    const o = run(w1, dmarRemove(1));
    expect(o.kind === 'err' && o.errno).toBe('EBUSY');
    expect(o.kind === 'err' && o.why).toBe('DRHD1: 9 IRTEs still allocated');
    expect(o.world.units[1]).toEqual(w1.units[1]);
    expect(o.world.domains[w1.units[1]!.irDomain!]).toBeDefined();
  });

  it('hot-remove of a non-include_all unit is -EBUSY while a scoped device is present [dmar.c dmar_hp_remove_drhd: for_each_active_dev_scope]', () => {
    const w0 = boot('6.2');
    const o = run(w0, dmarRemove(0));
    expect(o.kind === 'err' && o.errno).toBe('EBUSY');
    expect(o.kind === 'err' && o.why).toBe('DRHD0: 0000:6a:01.0 in its scope is still present');
    expect(o.world.units[0]!.present).toBe(true);
    // with no IRTE in use and both scoped devices gone it goes
    const w = must(w0, { type: 'deviceUnregister', dev: DSA0 }, { type: 'deviceUnregister', dev: NIC }, dmarRemove(0));
    expect(w.units[0]).toMatchObject({ present: false, irEnabled: false, irtes: {} });
    expect(hasDomain(w, 'INTEL-IR-0')).toBe(false);
  });

  it('hot-remove of the include_all unit skips the scope check: a present device with no IRTE keeps a dangling msi_domain [dmar.c dmar_hp_remove_drhd: include_all not checked]', () => {
    const w0 = boot('6.2');
    const ir1 = w0.units[1]!.irDomain!;
    expect(w0.devices[DSA1]!.msiDomain).toBe(ir1);
    const o = run(w0, dmarRemove(1));
    expect(o.kind).toBe('ok');
    expect(o.world.units[1]!.present).toBe(false);
    expect(o.world.devices[DSA1]).toMatchObject({ present: true, msiDomain: ir1 });
    expect(o.world.domains[ir1]).toBeUndefined();
  });

  it('DMAR hot-remove succeeds while only a child domain (6.2 IMS/device domain with no interrupts) remains, leaving it dangling [dmar.c: not checked]', () => {
    const w1 = must(
      boot('6.2'),
      probe(DSA1),
      msix(DSA1, 2),
      { type: 'pciCreateImsDomain', dev: DSA1, hwsize: 16 },
      freeVectors(DSA1),
    );
    const ir1 = w1.units[1]!.irDomain!;
    const children = Object.values(w1.domains)
      .filter((d) => d.parent === ir1)
      .map((d) => d.name);
    expect(children).toEqual(['IR-PCI-MSIX-0000:6f:01.0', 'IR-IMS-0000:6f:01.0']);
    expect(w1.units[1]!.irteBitmap).toEqual([]);
    const o = run(w1, dmarRemove(1));
    expect(o.kind).toBe('ok');
    const w = o.world;
    expect(w.units[1]!.present).toBe(false);
    expect(w.domains[ir1]).toBeUndefined();
    for (const n of children) expect(Object.values(w.domains).find((d) => d.name === n)!.parent).toBe(ir1);
    expect(w.devices[DSA1]!.msiData!.domains.every((d) => d !== null && w.domains[d] !== undefined)).toBe(true);
  });

  it('an IMS allocation through a child domain of a hot-removed IR domain is a use-after-free [irqdomain.c: parent not reference counted]', () => {
    const w1 = must(boot('6.2'), probe(DSA1), { type: 'pciCreateImsDomain', dev: DSA1, hwsize: 16 }, dmarRemove(1));
    const o = run(w1, { type: 'pciImsAllocIrq', dev: DSA1, icookie: 1, fail: null });
    expect(o.kind).toBe('use-after-free');
  });

  it('5.10: hot-remove takes INTEL-IR-MSI-<n> and INTEL-IR-<n> away [irq_remapping.c intel_teardown_irq_remapping]', () => {
    const w0 = boot('5.10');
    expect(names(w0)).toEqual(['VECTOR', 'PCI-MSI', 'INTEL-IR-0', 'INTEL-IR-MSI-0', 'INTEL-IR-1', 'INTEL-IR-MSI-1']);
    const w = must(w0, dmarRemove(1));
    expect(names(w)).toEqual(['VECTOR', 'PCI-MSI', 'INTEL-IR-0', 'INTEL-IR-MSI-0']);
    // the ids stay on the unit so that what points at them can be found
    expect([w.units[1]!.irDomain, w.units[1]!.irMsiDomain]).toEqual([w0.units[1]!.irDomain, w0.units[1]!.irMsiDomain]);
  });

  it('a unit that is not present cannot be removed again (-ENODEV), nor a present one added (-EEXIST) [dmar.c dmar_hp_remove_drhd/dmar_hp_add_drhd]', () => {
    const w1 = must(boot('6.2'), dmarRemove(1));
    const o = run(w1, dmarRemove(1));
    expect(o.kind === 'err' && o.errno).toBe('ENODEV');
    const o2 = run(boot('6.2'), dmarAdd(0));
    expect(o2.kind === 'err' && o2.errno).toBe('EEXIST');
  });
});

describe('DMAR hot-add', () => {
  it.each(['5.10', '6.2'] as const)(
    '%s: DMAR hot-add creates a fresh INTEL-IR domain; devices added before keep their old msi_domain [dmar.c dmar_hp_add_drhd; irq_remapping.c dmar_ir_add]',
    (v) => {
      const w0 = boot(v);
      const oldDomain = w0.devices[DSA1]!.msiDomain!;
      const w1 = must(w0, dmarRemove(1));
      const o = run(w1, dmarAdd(1));
      expect(o.kind).toBe('ok');
      const w = o.world;
      const u = w.units[1]!;
      expect(u).toMatchObject({ present: true, irEnabled: true, irteBitmap: [], irtes: {} });
      expect(u.irDomain).not.toBe(w0.units[1]!.irDomain);
      expect(w.domains[u.irDomain!]).toMatchObject({ name: 'INTEL-IR-1', kind: 'ir', unit: 1, parent: w.vectorDomain });
      if (v === '5.10') expect(w.domains[u.irMsiDomain!]).toMatchObject({ name: 'INTEL-IR-MSI-1', parent: u.irDomain });
      else expect(u.irMsiDomain).toBeNull();
      expect(w.devices[DSA1]!.msiDomain).toBe(oldDomain);
      expect(w.domains[oldDomain]).toBeUndefined();
    },
  );

  it("6.2: probing a device that kept the removed unit's msi_domain after hot-add is a use-after-free [pci/msi/irqdomain.c pci_setup_msix_device_domain: dev->msi.domain dangles]", () => {
    const w1 = must(boot('6.2'), dmarRemove(1), dmarAdd(1));
    const o = run(w1, idxdProbe(DSA1));
    expect(o.kind).toBe('use-after-free');
    expect(o.kind === 'use-after-free' && o.why).toMatch(/0000:6f:01\.0: dev->msi\.domain INTEL-IR-1 \(removed\)/);
  });
});
