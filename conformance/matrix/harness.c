/*
 * conformance/matrix/harness.c - drive the real kernel/irq/matrix.c from a line protocol
 *
 * Built by src/conformance/kernel-source.ts: gcc -include kstubs.h -Iinclude
 * -DMATRIX_C='"<extracted>/kernel/irq/matrix.c"' harness.c. The matrix source is included
 * unmodified, so that the harness can read struct irq_matrix and struct cpumap, which are private
 * to matrix.c. One line in, one line out (the observables after the call); see
 * src/conformance/matrix-protocol.ts for the grammar, which the model side prints the same way.
 */
#include MATRIX_C

int harness_cpu;
size_t harness_percpu_stride;
struct cpumask harness_single_cpu[NR_CPUS];

static jmp_buf bug_jump;
static char warns[512];
static char bugs[128];
static struct irq_matrix *mx;
static unsigned int ncpus;

void harness_warn(const char *fn, int line) {
  (void)line;
  size_t n = strlen(warns);
  snprintf(warns + n, sizeof(warns) - n, "%s%s", n ? "," : "", fn);
}

void harness_bug(const char *fn, int line) {
  (void)line;
  snprintf(bugs, sizeof(bugs), "%s", fn);
  longjmp(bug_jump, 1);
}

static struct cpumask mask_of(unsigned long bits) {
  struct cpumask m = {{bits}};
  return m;
}

static void print_bits(const unsigned long *map, unsigned int n) {
  int first = 1;
  for (unsigned int i = 0; i < n; i++)
    if (test_bit(i, map)) {
      printf(first ? "%u" : ".%u", i);
      first = 0;
    }
}

/* ret cpu warns bug | global counters | per CPU: counters, the two queries, the two maps */
static void print_state(long ret, long cpu) {
  printf("%ld %ld %s %s |", ret, cpu, warns[0] ? warns : "-", bugs[0] ? bugs : "-");
  printf(" %u %u %u %u %u |", mx->global_available, mx->global_reserved, mx->total_allocated, mx->online_maps,
         mx->systembits_inalloc);
  print_bits(mx->system_map, mx->matrix_bits);
  for (unsigned int c = 0; c < ncpus; c++) {
    struct cpumap *cm = per_cpu_ptr(mx->maps, c);
    harness_cpu = (int)c;
    printf(" | %d%d %u %u %u %u %u %u ", cm->online, cm->initialized, cm->available, cm->allocated, cm->managed,
           cm->managed_allocated, irq_matrix_allocated(mx), irq_matrix_available(mx, true));
    print_bits(cm->alloc_map, mx->matrix_bits);
    printf(" ");
    print_bits(cm->managed_map, mx->matrix_bits);
  }
  printf("\n");
}

int main(void) {
  char line[1024];
  for (unsigned int c = 0; c < NR_CPUS; c++) harness_single_cpu[c] = mask_of(1UL << c);
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  while (fgets(line, sizeof(line), stdin)) {
    char op = line[0];
    unsigned long a = 0, b = 0, c = 0;
    long ret = 0, cpu = -1;
    warns[0] = bugs[0] = 0;
    if (op == 'Q') break;
    if (op == 'I') {
      /* I ncpus nbits start end nsys sys... : irq_alloc_matrix, system vectors, every CPU online */
      unsigned int nbits, start, end, nsys, v;
      int off = 0, k;
      sscanf(line + 1, "%u %u %u %u %u%n", &ncpus, &nbits, &start, &end, &nsys, &off);
      char *p = line + 1 + off;
      mx = irq_alloc_matrix(nbits, start, end); /* leaked on purpose: a few hundred bytes a sequence */
      harness_cpu = 0;
      for (unsigned int i = 0; i < nsys; i++) {
        sscanf(p, "%u%n", &v, &k);
        p += k;
        irq_matrix_assign_system(mx, v, false);
      }
      for (unsigned int i = 0; i < ncpus; i++) {
        harness_cpu = (int)i;
        irq_matrix_online(mx);
      }
      print_state(0, -1);
      continue;
    }
    sscanf(line + 1, "%lu %lu %lu", &a, &b, &c);
    if (setjmp(bug_jump) == 0) {
      struct cpumask m = mask_of(a);
      unsigned int mapped = UINT_MAX;
      switch (op) {
      case 'N': harness_cpu = (int)a; irq_matrix_online(mx); break;
      case 'F': harness_cpu = (int)a; irq_matrix_offline(mx); break;
      case 'R': irq_matrix_reserve(mx); break;
      case 'r': irq_matrix_remove_reserved(mx); break;
      case 'M': ret = irq_matrix_reserve_managed(mx, &m); break;
      case 'm': irq_matrix_remove_managed(mx, &m); break;
      case 'A': ret = irq_matrix_alloc(mx, &m, b != 0, &mapped); break;
      case 'a': ret = irq_matrix_alloc_managed(mx, &m, &mapped); break;
      case 'X': irq_matrix_free(mx, (unsigned int)a, (unsigned int)b, c != 0); break;
      case 'S': harness_cpu = (int)a; irq_matrix_assign(mx, (unsigned int)b); break;
      case 'Y': harness_cpu = (int)a; irq_matrix_assign_system(mx, (unsigned int)b, c != 0); break;
      default: fprintf(stderr, "harness: unknown op %c\n", op); return 2;
      }
      if (ret >= 0 && mapped != UINT_MAX) cpu = (long)mapped;
    }
    print_state(ret, cpu);
  }
  fflush(stdout);
  return 0;
}
