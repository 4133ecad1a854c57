/*
 * .dependency-cruiser.cjs - the layering of models/, checked by test/architecture/layers.test.ts
 *
 * As in the kernel tree: the core (models/world, models/kernel/irq) never includes a driver, an
 * architecture, a design or a fault; drivers hand the core ops tables through one composition
 * root (models/machine/). No import cycle anywhere, type-only imports included.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'an import cycle (type-only imports count): move the shared type down a layer',
      from: {},
      to: { circular: true },
    },
    {
      name: 'world-is-the-bottom',
      severity: 'error',
      comment: 'models/world holds state types and access helpers: it imports nothing else of the model',
      from: { path: '^models/world/' },
      to: { path: '^(models/(?!world/)|src/|properties/)' },
    },
    {
      name: 'core-never-includes-a-driver',
      severity: 'error',
      comment: 'kernel/irq is the core: it reaches drivers, arch code, designs and faults only through ops tables',
      from: { path: '^models/kernel/' },
      to: { path: '^(models/(arch|drivers|designs|faults|machine|ops|step)|src/|properties/)' },
    },
    {
      // Relaxed for drivers/iommu only, because the kernel has that direction: x86 io_apic.c
      // asks the IR driver for the I/O APIC's parent domain (irq_remapping_get_irq_domain(),
      // drivers/iommu/irq_remapping.c) and moves an IOAPIC interrupt through the IR chip. The
      // IR drivers in turn use the vector domain, so the pair is kept acyclic by 'no-cycles'.
      name: 'arch-below-drivers',
      severity: 'error',
      comment:
        'arch/x86 sits under the drivers (the vector domain is the root of every hierarchy); only the IR drivers (drivers/iommu) are reachable from it, as from io_apic.c',
      from: { path: '^models/arch/' },
      to: { path: '^(models/(drivers/(?!iommu/)|designs|faults|machine|ops|step)|src/|properties/)' },
    },
    {
      name: 'drivers-below-designs',
      severity: 'error',
      comment: 'drivers know neither the designs nor the composition root: designs plug in through hook tables',
      from: { path: '^models/drivers/' },
      to: { path: '^(models/(designs|faults|machine|ops|step)|src/|properties/)' },
    },
    {
      name: 'designs-and-faults-below-the-machine',
      severity: 'error',
      comment: 'a design or a fault is plugged in by models/machine, never the other way round',
      from: { path: '^models/(designs|faults)/' },
      to: { path: '^(models/(machine|ops|step)|src/|properties/)' },
    },
    {
      name: 'model-never-imports-the-engine',
      severity: 'error',
      comment: 'the model is pure data and functions; the engine (src/) and the invariants (properties/) use it',
      from: { path: '^models/' },
      to: { path: '^(src|properties)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
