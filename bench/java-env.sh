# Sourced by the bench scripts before they start a JVM: the runtime environment of the ./glassbox
# launcher, so that the benchmarks measure what the command line runs.
source "$(dirname "${BASH_SOURCE[0]}")/../cli/runtime-env.sh"
