#!/usr/bin/env bash
# Fuzzes the CUE parser and evaluator (parse → evaluate → walk → export) with libFuzzer.
#
#   scripts/fuzz-cue.sh [SECONDS] [JOBS]     default: 600 seconds, 1 job
#
# The corpus grows in fuzz-corpus-cue/, seeded (in fuzz-cue-seeds/) with the CUE sources of
# Tests/TandemCUETests and, when TANDEM_KUBEVELA_DEFINITIONS names a folder, every .cue file
# under it (copied, never committed). Each input is bounded by CUELimits' defaults. One job keeps
# going after a crash (-fork=1 -ignore_crashes=1), so an hour's run is an hour of fuzzing; finds
# are written to fuzz-cue-artifacts/. Replay one with:
#   swift run tandem-cue-fuzz fuzz-cue-artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
jobs=${2:-1}
scratch=${FUZZ_SCRATCH:-.build-fuzz}
corpus=${FUZZ_CORPUS:-fuzz-corpus-cue}
seeds=fuzz-cue-seeds
artifacts=fuzz-cue-artifacts

swift build -c release --product tandem-cue-fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZER \
    -Xcc -fsanitize=fuzzer-no-link,address

mkdir -p "$corpus" "$artifacts" "$seeds"
# The tests' CUE sources: multi-line string literals and the one-line sources they evaluate.
python3 - "$seeds" Tests/TandemCUETests/*.swift <<'PY'
import re, sys, pathlib
out = pathlib.Path(sys.argv[1])
count = 0
def write(text):
    global count
    count += 1
    (out / f"test-{count:04}.cue").write_text(text)
for path in sys.argv[2:]:
    source = pathlib.Path(path).read_text()
    for block in re.finditer(r'"""\n(.*?)\n([ \t]*)"""', source, re.S):
        indent = block.group(2)
        lines = [line[len(indent):] if line.startswith(indent) else line for line in block.group(1).split("\n")]
        write("\n".join(lines).replace("\\\\", "\\") + "\n")
    for call in re.finditer(r'(?:export|exportError|evaluate\(source:|parse\(source:)\(?\s*"((?:[^"\\\n]|\\.)*)"', source):
        text = call.group(1).replace('\\n', '\n').replace('\\t', '\t').replace('\\"', '"').replace('\\\\', '\\')
        write(text)
print(f"{count} seeds from the CUE tests")
PY
if [ -n "${TANDEM_KUBEVELA_DEFINITIONS:-}" ]; then
    find "$TANDEM_KUBEVELA_DEFINITIONS" -name '*.cue' | while read -r file; do
        cp "$file" "$seeds/kubevela-$(basename "$(dirname "$file")")-$(basename "$file")"
    done
fi

fork=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
# With -jobs, libFuzzer writes each job's output to fuzz-N.log.
if [ "$jobs" -gt 1 ]; then fork=(-jobs="$jobs" -workers="$jobs"); fi
ASAN_OPTIONS=detect_leaks=0 "$PWD/$scratch"/release/tandem-cue-fuzz "$corpus" "$seeds" \
    -max_total_time="$seconds" -max_len=32768 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 -dict=scripts/cue.dict "${fork[@]}"
