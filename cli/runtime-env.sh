# The runtime environment of every Glassbox JVM that the project starts: sourced by the ./glassbox
# launcher and by the bench scripts (bench/java-env.sh), so that benchmarks measure what the command
# line runs. A variable already set is kept.

# OpenBLAS's worker threads sleep as soon as a product ends instead of spinning on sched_yield for
# about 2^28 cycles on the cores that the Java threads need between products: top-k encoding ran
# faster and the JVM's system time halved (docs/performance.md, "OpenBLAS worker threads").
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"

# ND4J's off-heap arrays come from malloc. glibc raises its mmap threshold to the size of each large
# block freed (up to 32 MB), after which a batch's arrays come from a malloc arena, and an arena gives
# back only the free memory at its top: on the Fashion-MNIST stack file an arena held 3.4 GB of which
# 79 MB was in use (malloc_stats). A fixed threshold keeps every block of 128 KB or more in its own
# mapping, returned to the system when it is freed (docs/performance.md, "Memory").
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"

# Each batch's arrays are then fresh mappings, and the kernel maps them in 4 KB pages, one fault
# each on first touch. glibc's hugetlb tunable (glibc 2.35 and later; ignored by older ones) has
# malloc ask for transparent huge pages on its mappings, 2 MB a fault where the kernel's
# transparent_hugepage setting is madvise or always: the default model's inference rose from 936-938
# to 1,021-1,133 images/s (docs/performance.md, "Memory").
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
