/*
 * Fidelity: driver unbind and devres ordering (spec 1.8, 2.6, 2.1 msi_remove_device_irq_domain)
 */
import { describe, expect, it } from 'vitest';
import { boot, DSA0 } from '../helpers.ts';
import { devVirqs, hasDomain, msix, must, probe, req, run, unbind } from './util.ts';

describe('devres at unbind', () => {
  it('5.10: devres is released LIFO - devm_request_irq is freed before pcim_release disables MSI-X, so no BUG [devres.c devres_release_all, pci.c pcim_release]', () => {
    const w1 = must(boot('5.10'), probe(DSA0, true), msix(DSA0, 2));
    const w2 = must(w1, ...devVirqs(w1, DSA0).map((v) => req(v, DSA0, true)));
    const o = run(w2, unbind(DSA0));
    expect(o.kind).toBe('ok');
    expect(Object.keys(o.world.irqs)).toEqual([]);
    expect(o.world.devices[DSA0]!.msiEnabled).toBeNull();
    expect(o.world.devices[DSA0]!.devres).toEqual([]);
  });

  it('5.10: a handler requested without devm and not freed in remove() makes pcim_release BUG at unbind [pci.c pcim_release -> free_msi_irqs BUG_ON]', () => {
    const w1 = must(boot('5.10'), probe(DSA0, true), msix(DSA0, 1));
    const w2 = must(w1, req(devVirqs(w1, DSA0)[0]!, DSA0, false));
    expect(run(w2, unbind(DSA0)).kind).toBe('bug');
  });

  it('6.2: unbinding a device with MSI-X still enabled and no pcim removes its device domain and WARNs (store not empty) [msi.c msi_device_data_release]', () => {
    const w1 = must(boot('6.2'), probe(DSA0, false), msix(DSA0, 2));
    const vs = devVirqs(w1, DSA0);
    const o = run(w1, unbind(DSA0));
    expect(o.kind).toBe('warned');
    expect(hasDomain(o.world, 'IR-PCI-MSIX-0000:6a:01.0')).toBe(false);
    expect(o.world.devices[DSA0]!.msiData).toBeNull();
    for (const v of vs) {
      const top = o.world.irqs[v]!.levels[0]!.domain;
      expect(o.world.domains[top]).toBeUndefined(); // the leaked irq_data points at the freed domain
    }
  });

  it('6.2: with pcim, pcim_msi_release (added after the msi data) frees the vectors first, so the msi data release is clean [pci/msi/msi.c pci_setup_msi_context, devres LIFO]', () => {
    const w1 = must(boot('6.2'), probe(DSA0, true), msix(DSA0, 2));
    const o = run(w1, unbind(DSA0));
    expect(o.kind).toBe('ok');
    expect(Object.keys(o.world.irqs)).toEqual([]);
    expect(Object.keys(o.world.descs)).toEqual([]);
    expect(hasDomain(o.world, 'IR-PCI-MSIX-0000:6a:01.0')).toBe(false);
  });

  it('a failing probe releases the devres it added and leaves the device unbound [dd.c really_probe]', () => {
    const o = run(boot('5.10'), { type: 'driverProbe', dev: DSA0, managed: true, fail: true });
    expect(o.kind).toBe('err');
    expect(o.world.devices[DSA0]!.driver).toBeNull();
    expect(o.world.devices[DSA0]!.devres).toEqual([]);
  });
});
