/*
 * conformance/irte/kstubs.h - what the IRTE block allocator of drivers/iommu/intel/irq_remapping.c
 * (alloc_irte(), clear_entries()) and the bitmap region helpers need in user space
 *
 * The functions themselves are copied unmodified, at run time, from an installed Debian
 * linux-source package into extracted.c (src/conformance/extract.ts); this file stands in for the
 * structures and macros around them. The table has IRTE_ENTRIES entries (65536 in the kernel:
 * the harness shrinks it so that exhaustion comes quickly; the model's small platforms have 16).
 */
#ifndef CONFORMANCE_IRTE_KSTUBS_H
#define CONFORMANCE_IRTE_KSTUBS_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IRTE_ENTRIES 64
#define INTR_REMAP_TABLE_ENTRIES IRTE_ENTRIES
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BIT(n) (1UL << (n))
#define ENOMEM 12
#define EBUSY 16
#define EXPORT_SYMBOL(x)
#define __always_inline inline
#define min(a, b) ((a) < (b) ? (a) : (b))
#define pr_err(...) ((void)0)
#define pr_warn(...) ((void)0)
#define raw_spin_lock_irqsave(l, f) ((void)(f))
#define raw_spin_unlock_irqrestore(l, f) ((void)(f))
#define WRITE_ONCE(x, v) ((x) = (v))
#define set_64bit(p, v) (*(p) = (v))
#define IRQ_REMAPPING 0
#define ecap_max_handle_mask(e) (e) /* the harness keeps the MHMV value itself in ecap */

typedef uint16_t u16;
typedef uint64_t u64;

struct irte {
  u64 low, high;
};
struct ir_table {
  struct irte *base;
  unsigned long *bitmap;
};
struct intel_iommu {
  struct ir_table *ir_table;
  u64 ecap;
  int seq_id;
};
struct irq_2_iommu {
  struct intel_iommu *iommu;
  u16 irte_index;
  u16 sub_handle;
  unsigned char irte_mask;
  int mode;
};

static int irq_2_ir_lock;

static inline unsigned long __roundup_pow_of_two(unsigned long n) {
  unsigned long p = 1;
  while (p < n) p <<= 1;
  return p;
}
static inline int ilog2(unsigned long n) {
  int l = -1;
  while (n) n >>= 1, l++;
  return l;
}
static inline bool test_bit(unsigned long nr, const unsigned long *map) {
  return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1UL;
}
static inline unsigned long find_next_bit(const unsigned long *map, unsigned long size, unsigned long off) {
  for (unsigned long i = off; i < size; i++)
    if (test_bit(i, map)) return i;
  return size;
}
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int n) {
  for (unsigned int i = start; i < start + n; i++) map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
}
static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int n) {
  for (unsigned int i = start; i < start + n; i++) map[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
}
/* 6.1's lib/bitmap.c region helpers use these */
enum { REG_OP_ISFREE, REG_OP_ALLOC, REG_OP_RELEASE };

/* clear_entries() ends with the IEC flush: nothing to flush here */
static int qi_flush_iec(struct intel_iommu *iommu, int index, int mask) {
  (void)iommu, (void)index, (void)mask;
  return 0;
}
#endif
