/*
 * conformance/matrix/kstubs.h - the least of the kernel that kernel/irq/matrix.c needs in user space
 *
 * Force-included (gcc -include) before the unmodified matrix.c of an installed Debian
 * linux-source package; the headers matrix.c names are empty files under include/.
 * Per-CPU data is one array of NR_CPUS slots; "this CPU" is harness_cpu, set by the harness
 * before calls that act on the local CPU (irq_matrix_online/offline/assign/assign_system/
 * allocated/available). WARN_ON_ONCE records every hit (the kernel prints only the first, but the
 * condition is the same); BUG_ON ends the call through longjmp, as the kernel's oops ends the task.
 */
#ifndef CONFORMANCE_KSTUBS_H
#define CONFORMANCE_KSTUBS_H
#include <limits.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR_CPUS 8
#define IRQ_MATRIX_BITS 256 /* NR_VECTORS (arch/x86/include/asm/irq_vectors.h) */
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define ENOSPC 28
#define EINVAL 22
#define GFP_KERNEL 0
#define __init
#define __percpu
#define pr_warn(...) ((void)0) /* a message, not a WARN: not an observable */
#define kzalloc(sz, gfp) calloc(1, (sz))
#define kfree(p) free(p)
#define struct_size(p, member, n) (sizeof(*(p)) + sizeof((p)->member[0]) * (n))
#define lockdep_assert_held(l) ((void)0)

struct seq_file;
struct cpumask {
  unsigned long bits[1];
};

extern int harness_cpu;
extern size_t harness_percpu_stride;
void harness_warn(const char *fn, int line);
void harness_bug(const char *fn, int line);

#define WARN_ON_ONCE(cond)                                                                                            \
  ({                                                                                                                   \
    int __c = !!(cond);                                                                                                \
    if (__c) harness_warn(__func__, __LINE__);                                                                         \
    __c;                                                                                                               \
  })
#define BUG_ON(cond)                                                                                                   \
  do {                                                                                                                 \
    if (cond) harness_bug(__func__, __LINE__);                                                                         \
  } while (0)

/* per-CPU: NR_CPUS slots of harness_percpu_stride bytes */
static inline void *harness_alloc_percpu(size_t size, size_t align) {
  size_t stride = (size + align - 1) / align * align;
  harness_percpu_stride = stride;
  return calloc(NR_CPUS, stride);
}
#define __alloc_percpu(size, align) harness_alloc_percpu((size), (align))
#define alloc_percpu(type) ((__typeof__(type) *)harness_alloc_percpu(sizeof(type), __alignof__(type)))
#define per_cpu_ptr(p, cpu) ((__typeof__(p))((char *)(p) + (size_t)(cpu) * harness_percpu_stride))
#define this_cpu_ptr(p) per_cpu_ptr((p), harness_cpu)
#define smp_processor_id() (harness_cpu)

/* bit operations on unsigned long arrays */
static inline bool test_bit(unsigned long nr, const unsigned long *map) {
  return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1UL;
}
static inline void set_bit(unsigned long nr, unsigned long *map) {
  map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}
static inline void clear_bit(unsigned long nr, unsigned long *map) {
  map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}
static inline bool test_and_set_bit(unsigned long nr, unsigned long *map) {
  bool old = test_bit(nr, map);
  set_bit(nr, map);
  return old;
}
static inline bool test_and_clear_bit(unsigned long nr, unsigned long *map) {
  bool old = test_bit(nr, map);
  clear_bit(nr, map);
  return old;
}
static inline unsigned long find_next_bit(const unsigned long *map, unsigned long size, unsigned long off) {
  for (unsigned long i = off; i < size; i++)
    if (test_bit(i, map)) return i;
  return size;
}
static inline unsigned long find_next_zero_bit(const unsigned long *map, unsigned long size, unsigned long off) {
  for (unsigned long i = off; i < size; i++)
    if (!test_bit(i, map)) return i;
  return size;
}
#define find_first_bit(map, size) find_next_bit((map), (size), 0)
/* bit by bit up to @n: matrix.c never reads scratch_map past alloc_end */
static inline void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int n) {
  for (unsigned int i = 0; i < n; i++)
    if (test_bit(i, a) || test_bit(i, b)) set_bit(i, dst); else clear_bit(i, dst);
}
static inline bool bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int n) {
  bool any = false;
  for (unsigned int i = 0; i < n; i++) {
    if (test_bit(i, a) && !test_bit(i, b)) set_bit(i, dst), any = true; else clear_bit(i, dst);
  }
  return any;
}
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int n) {
  for (unsigned int i = start; i < start + n; i++) set_bit(i, map);
}
static inline unsigned int bitmap_weight(const unsigned long *map, unsigned int n) {
  unsigned int w = 0;
  for (unsigned int i = 0; i < n; i++) w += test_bit(i, map);
  return w;
}
/* lib/bitmap.c bitmap_find_next_zero_area_off() with align_offset 0: returns >= size on failure */
static inline unsigned long bitmap_find_next_zero_area(unsigned long *map, unsigned long size, unsigned long start,
                                                       unsigned int nr, unsigned long align_mask) {
  for (;;) {
    unsigned long index = find_next_zero_bit(map, size, start);
    index = (index + align_mask) & ~align_mask;
    unsigned long end = index + nr;
    if (end > size) return end;
    unsigned long i = find_next_bit(map, end, index);
    if (i >= end) return index;
    start = i + 1;
  }
}

/* cpumasks of NR_CPUS bits */
extern struct cpumask harness_single_cpu[NR_CPUS];
#define cpumask_of(cpu) (&harness_single_cpu[(cpu)])
static inline bool cpumask_empty(const struct cpumask *m) { return (m->bits[0] & ((1UL << NR_CPUS) - 1)) == 0; }
static inline unsigned int harness_next_cpu(int prev, const struct cpumask *m) {
  return (unsigned int)find_next_bit(m->bits, NR_CPUS, (unsigned long)(prev + 1));
}
#define for_each_cpu(cpu, msk) for ((cpu) = harness_next_cpu(-1, (msk)); (cpu) < NR_CPUS; (cpu) = harness_next_cpu((cpu), (msk)))
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)

/* trace points (include/trace/events/irq_matrix.h): nothing to record */
#define trace_irq_matrix_online(...) ((void)0)
#define trace_irq_matrix_offline(...) ((void)0)
#define trace_irq_matrix_reserve(...) ((void)0)
#define trace_irq_matrix_remove_reserved(...) ((void)0)
#define trace_irq_matrix_assign_system(...) ((void)0)
#define trace_irq_matrix_alloc_reserved(...) ((void)0)
#define trace_irq_matrix_reserve_managed(...) ((void)0)
#define trace_irq_matrix_remove_managed(...) ((void)0)
#define trace_irq_matrix_alloc_managed(...) ((void)0)
#define trace_irq_matrix_assign(...) ((void)0)
#define trace_irq_matrix_alloc(...) ((void)0)
#define trace_irq_matrix_free(...) ((void)0)
#endif
