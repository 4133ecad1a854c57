/*
 * conformance/irte/harness.c - drive alloc_irte() and clear_entries() of the real
 * drivers/iommu/intel/irq_remapping.c, with the kernel's bitmap region helpers
 *
 * Built by src/conformance/main.ts: gcc -include kstubs.h -DEXTRACTED='"<cache>/extracted.c"'
 * harness.c, where extracted.c holds the functions copied unmodified from the installed sources.
 * Lines in:  I mhmv                 a fresh table, ecap max handle mask @mhmv
 *            A count                alloc_irte(count)
 *            C index mask subhandle clear_entries() of that irq_2_iommu
 * Line out:  return, then index mask of the irq_2_iommu (alloc), then the bitmap's set bits.
 */
#include EXTRACTED

static unsigned long bitmap[BITS_TO_LONGS(IRTE_ENTRIES)];
static struct irte base[IRTE_ENTRIES];
static struct ir_table table = {base, bitmap};
static struct intel_iommu iommu = {&table, 0, 0};

int main(void) {
  char line[256];
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  while (fgets(line, sizeof(line), stdin)) {
    unsigned long a = 0, b = 0, c = 0;
    long ret = 0;
    struct irq_2_iommu irq = {0};
    if (line[0] == 'Q') break;
    sscanf(line + 1, "%lu %lu %lu", &a, &b, &c);
    switch (line[0]) {
    case 'I': memset(bitmap, 0, sizeof(bitmap)); iommu.ecap = a; break;
    case 'A': ret = alloc_irte(&iommu, &irq, (u16)a); break;
    case 'C':
      irq.iommu = &iommu, irq.irte_index = (u16)a, irq.irte_mask = (unsigned char)b, irq.sub_handle = (u16)c;
      ret = clear_entries(&irq);
      break;
    default: fprintf(stderr, "harness: unknown op %c\n", line[0]); return 2;
    }
    printf("%ld %d %d |", ret, line[0] == 'A' && ret >= 0 ? irq.irte_index : -1, line[0] == 'A' && ret >= 0 ? irq.irte_mask : -1);
    for (unsigned int i = 0; i < IRTE_ENTRIES; i++) if (test_bit(i, bitmap)) printf(" %u", i);
    printf("\n");
  }
  fflush(stdout);
  return 0;
}
