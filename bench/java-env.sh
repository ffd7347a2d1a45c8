# Sourced by the bench scripts before they start a JVM: the runtime settings of the ./glassbox
# launcher (see the comments there; keep the two in step), so that the benchmarks measure what the
# command line runs.
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
