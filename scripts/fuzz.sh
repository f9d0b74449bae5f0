#!/usr/bin/env bash
# Fuzzes the whole pipeline (parse → validate → render → write) with libFuzzer.
#
#   scripts/fuzz.sh [SECONDS] [JOBS]     default: 600 seconds, 1 job
#
# The corpus grows in fuzz-corpus/ (seeded from the examples and test fixtures); crashes are
# written to fuzz-artifacts/. Replay one with: swift run tandem-fuzz fuzz-artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
jobs=${2:-1}
scratch=${FUZZ_SCRATCH:-.build-fuzz}   # another folder lets a second run build while one is running
corpus=${FUZZ_CORPUS:-fuzz-corpus}

swift build -c release --product tandem-fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZER \
    -Xcc -fsanitize=fuzzer-no-link,address

mkdir -p "$corpus" fuzz-artifacts fuzz-seeds
cp examples/*.yaml fuzz-seeds/
for file in Tests/TandemRenderingTests/*/*/app.yaml; do
    case_name=$(basename "$(dirname "$file")")
    cp "$file" "fuzz-seeds/$case_name.yaml"
done

parallel=()
# With -jobs, libFuzzer writes each job's output to fuzz-N.log; one job prints here instead.
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
ASAN_OPTIONS=detect_leaks=0 "$scratch"/release/tandem-fuzz "$corpus" fuzz-seeds \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=fuzz-artifacts/ -print_final_stats=1 -dict=scripts/yaml.dict "${parallel[@]}"
