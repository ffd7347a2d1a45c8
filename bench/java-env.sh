# Sourced by the bench scripts before they start a JVM: the runtime setting of the ./glassbox
# launcher (see the comment there), so that the benchmarks measure what the command line runs.
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
