#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (coverage + AddressSanitizer, optimized, in a scratch path of their own)
# and runs each for FUZZ_SECONDS, then prints per target: executions, exec/s, coverage (cov/ft from libFuzzer's
# last status line) and findings. A crash, a run over FUZZ_TIMEOUT seconds (a hang) and a run over FUZZ_RSS_MB
# (a memory blow-up) are findings: libFuzzer stops that target and writes the input to
# $FUZZ_BUILD_DIR/findings/<target>/ (replay: `<binary> <file>`). Exit 1 when any target had a finding.
#
#   scripts/fuzz.sh [TARGET...]      # default: every directory in Fuzz/
#   FUZZ_SECONDS=600 scripts/fuzz.sh proto-compiler avro-schema
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
FUZZ_SECONDS=${FUZZ_SECONDS:-120}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-8192}
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-.build-fuzz}
mkdir -p "$FUZZ_BUILD_DIR"
FUZZ_BUILD_DIR=$(cd "$FUZZ_BUILD_DIR" && pwd)

if [ $# -gt 0 ]; then targets=("$@"); else
    targets=()
    for dir in Fuzz/*/; do targets+=("$(basename "$dir")"); done
fi

# The fuzz targets exist in the manifest only with ACCORD_FUZZ set; the manifest is not cached, so a normal
# build never sees them. `--sanitize fuzzer` makes SwiftPM link libFuzzer's main; the swiftc flag adds the
# coverage and ASan instrumentation (two separate -sanitize= flags would keep only the last one).
build_flags=(--scratch-path "$FUZZ_BUILD_DIR" --manifest-cache none --sanitize fuzzer
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -O)
for target in "${targets[@]}"; do
    [ -f "Fuzz/$target/main.swift" ] || { echo "no fuzz target Fuzz/$target" >&2; exit 2; }
    echo "building fuzz-$target"
    ACCORD_FUZZ=1 "$SWIFT" build "${build_flags[@]}" --product "fuzz-$target" 2>&1 \
        | grep -E 'error:|warning: .*/(Sources|Fuzz)/|^Build' || true
    [ -x "$FUZZ_BUILD_DIR/debug/fuzz-$target" ] || { echo "build of fuzz-$target failed" >&2; exit 2; }
done
bin="$FUZZ_BUILD_DIR/debug"

python3 scripts/fuzz-seeds.py "$FUZZ_BUILD_DIR/seeds" "${targets[@]}"
export SWIFT_BACKTRACE=enable=no   # Swift's backtracer reads the stack in ways ASan reports as errors
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:handle_abort=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan-suppressions.txt:print_suppressions=0}

summary=()
failed=0
for target in "${targets[@]}"; do
    seeds="$FUZZ_BUILD_DIR/seeds/$target"
    corpus="$FUZZ_BUILD_DIR/corpus/$target"
    findings="$FUZZ_BUILD_DIR/findings/$target"
    log="$FUZZ_BUILD_DIR/logs/$target.log"
    mkdir -p "$seeds" "$corpus" "$findings" "$(dirname "$log")"
    if [ "$target" = avro-differential ]; then
        ACCORD_FUZZ_SEEDS="$seeds" "$bin/fuzz-$target" >/dev/null 2>&1 || true
    fi
    before=$(find "$findings" -type f | wc -l)
    echo "fuzzing $target for ${FUZZ_SECONDS}s (log: $log)"
    started=$(date +%s)
    status=0
    "$bin/fuzz-$target" "$corpus" "$seeds" -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" \
        -rss_limit_mb="$FUZZ_RSS_MB" -malloc_limit_mb="$FUZZ_RSS_MB" -max_len="$FUZZ_MAX_LEN" \
        -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - started ))
    after=$(find "$findings" -type f | wc -l)
    last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$runs" ] || runs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    [ -n "$rate" ] || rate=$(echo "$last" | sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p')
    cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    found=$((after - before))
    # A finding whose input was already saved (same content, same file name) adds no file but still counts.
    if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi
    result="ok"
    if [ "$found" -gt 0 ]; then
        failed=1
        kind=$(grep -oE 'ERROR: libFuzzer: [a-z-]+|ERROR: AddressSanitizer: [a-z-]+|Fatal error: [^:]*' "$log" | head -1 || true)
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        result="FINDING (${kind:-exit $status}): ${artifact:-see log}"
    fi
    line=$(printf '%-18s %4ss  runs %-10s exec/s %-7s cov %-6s ft %-7s crashes %s  %s' \
        "$target" "$elapsed" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$found" "$result")
    echo "$line"
    summary+=("$line")
done

echo
echo "fuzz summary (${FUZZ_SECONDS}s per target, -timeout=${FUZZ_TIMEOUT} -rss_limit_mb=${FUZZ_RSS_MB}):"
printf '%s\n' "${summary[@]}"
exit "$failed"
