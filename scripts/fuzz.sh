#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer + AddressSanitizer (issue 14 §2; docs/reliability.md,
# "Coverage-guided fuzzing"). Not part of `make test`.
#
#   scripts/fuzz.sh list                      the targets
#   scripts/fuzz.sh build [TARGET...]         build fuzz executables (all by default) into .build-fuzz
#   scripts/fuzz.sh run TARGET [SECONDS]      build, then fuzz one target (default 60 s; FUZZ_NO_BUILD=1
#                                             skips the build)
#   scripts/fuzz.sh seeds [TARGET...]         rewrite Fuzz/Corpus/<target> from the targets' encoders
#   scripts/fuzz.sh merge TARGET              minimise the working corpus of a target in place
#   scripts/fuzz.sh report                    runs, seconds, hours, executions and findings per target (summed
#                                             over Fuzz/runs.tsv), working corpus files and bytes
#   scripts/fuzz.sh rotate UNTIL [CHUNK]      fuzz the targets in turn, the least-fuzzed (by Fuzz/runs.tsv)
#                                             first, CHUNK seconds each (default 900), until the UTC time
#                                             UNTIL (e.g. 21:45); one process at a time; never builds
#
# `make fuzz TARGET=rlp SECONDS=600` runs `scripts/fuzz.sh run rlp 600`.
#
# The targets join Package.swift only with GOLDENGRAIN_FUZZ=1 and build in their own scratch path, so
# the normal build never sees them. A run fuzzes in one process under `nice -n 19` (the machines
# are shared), starting from the checked-in seeds (Fuzz/Corpus/<target>), any fixtures read in place,
# and the working corpus .build-fuzz/fuzz/corpus/<target>, which grows across runs and stays out of
# git. Crashes, timeouts, leaks and out-of-memory inputs land in .build-fuzz/fuzz/artifacts/<target>/
# (not .build-fuzz/artifacts, which SwiftPM owns and clears); every run appends a line to
# Fuzz/runs.tsv (date, target, seconds run, executions, corpus files, findings).
set -euo pipefail
SELF=$(realpath "$0")
cd "$(dirname "$0")/.."

SCRATCH=.build-fuzz
RSS_LIMIT_MB=${FUZZ_RSS_LIMIT_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-10}
TARGETS=(rlp transaction block trie dcap inference sealed json jsonrpc abi genesis client p2p eth collateral anvilstate)

# The Fuzz/ folder (and product FuzzX) of a target name.
folder_of() {
  case "$1" in
    rlp) echo RLP ;; transaction) echo Transaction ;; block) echo Block ;; trie) echo Trie ;;
    dcap) echo DCAP ;; inference) echo Inference ;; sealed) echo Sealed ;; json) echo JSON ;;
    jsonrpc) echo JSONRPC ;; abi) echo ABI ;; genesis) echo Genesis ;; client) echo Client ;;
    p2p) echo P2P ;; eth) echo ETH ;; collateral) echo Collateral ;; anvilstate) echo AnvilState ;;
    *) echo "unknown fuzz target '$1'; expected one of: ${TARGETS[*]}" >&2; exit 2 ;;
  esac
}

# Seed files read in place (never copied into the repository), one per line.
fixture_seeds() {
  case "$1" in
    dcap) ls ../shared/vectors/sgx/*/quote.bin 2>/dev/null || true ;;
    # Intel's collateral as served (PCS files, CRLs, dcap-qvl's collateral.json) and the real quotes.
    collateral) ls ../shared/vectors/sgx/phala_sgx_v3/* ../shared/vectors/sgx/automata_solana_sgx_v3/* 2>/dev/null || true ;;
    inference) ls Examples/models/*.ggm Examples/models/*.ggf Examples/digits/test.ggd 2>/dev/null || true ;;
    sealed) ls Examples/models/*.ggm 2>/dev/null || true ;;
    genesis) ls Genesis/*.json 2>/dev/null || true ;;
  esac
}

# A libFuzzer dictionary for a target, if it has one.
dictionary_of() {
  local name=$1
  case "$1" in genesis | anvilstate) name=json ;; client) name=jsonrpc ;; esac
  local file="Fuzz/Dictionaries/$name.dict"
  if [ -f "$file" ]; then echo "-dict=$file"; fi
}

build() {
  local products=()
  for target in "$@"; do products+=("Fuzz$(folder_of "$target")"); done
  for product in "${products[@]}"; do
    echo "== build $product (release, -sanitize=fuzzer,address)"
    # lld: gold fails with an internal error on the sanitizer runtime's symbols.
    set +e
    GOLDENGRAIN_FUZZ=1 nice -n 10 swift build -c release --scratch-path "$SCRATCH" --product "$product" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld 2>&1 \
      | grep -v -e "found 1 file(s) which are unhandled" -e "CMakeLists.txt"
    local status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then echo "build of $product failed" >&2; exit 1; fi
  done
}

binary_of() { echo "$SCRATCH/release/Fuzz$(folder_of "$1")"; }

run() {
  local target=$1 seconds=${2:-60}
  # FUZZ_NO_BUILD=1 runs the executable already built (while another build holds .build-fuzz's lock).
  if [ -z "${FUZZ_NO_BUILD:-}" ]; then build "$target"; fi
  local binary corpus artifacts seeds log
  binary=$(binary_of "$target")
  corpus="$SCRATCH/fuzz/corpus/$target"
  artifacts="$SCRATCH/fuzz/artifacts/$target"
  seeds="Fuzz/Corpus/$target"
  log="$SCRATCH/fuzz/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
  mkdir -p "$corpus" "$artifacts" "$seeds" "$(dirname "$log")"
  local before_artifacts
  before_artifacts=$(find "$artifacts" -type f | wc -l)
  local fixture_list
  fixture_list=$(fixture_seeds "$target" | paste -sd, -)
  local extra=()
  if [ -n "$fixture_list" ]; then extra+=("-seed_inputs=$fixture_list"); fi
  local dict
  dict=$(dictionary_of "$target")
  if [ -n "$dict" ]; then extra+=("$dict"); fi
  echo "== fuzz $target for $seconds s (log $log)"
  local status=0 started
  started=$(date +%s)
  # Swift's own crash backtracer would run inside ASan's signal handling; libFuzzer and ASan report.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1} \
    LSAN_OPTIONS=suppressions=Fuzz/lsan.supp:print_suppressions=0 \
    nice -n 19 "$binary" "$corpus" "$seeds" -max_total_time="$seconds" -timeout="$TIMEOUT" \
      -rss_limit_mb="$RSS_LIMIT_MB" -artifact_prefix="$artifacts/" -print_final_stats=1 \
      "${extra[@]}" >"$log" 2>&1 || status=$?
  local executions files findings elapsed
  elapsed=$(( $(date +%s) - started ))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  files=$(find "$corpus" -type f | wc -l)
  findings=$(( $(find "$artifacts" -type f | wc -l) - before_artifacts ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$target" "$elapsed" "${executions:-0}" \
    "$files" "$findings" >> Fuzz/runs.tsv
  grep -E "^#[0-9]+[[:space:]]+(DONE|INITED)" "$log" | tail -n 2 || true
  echo "fuzz $target: $elapsed s, ${executions:-0} executions, corpus $files files, $findings findings (exit $status)"
  if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
    grep -E "ERROR|Fatal error|fuzz property failed|SUMMARY|Test unit written" "$log" | head -n 20 || true
    exit 1
  fi
}

seeds() {
  for target in "$@"; do
    build "$target"
    local folder="Fuzz/Corpus/$target"
    rm -rf "$folder"
    ASAN_OPTIONS=detect_leaks=0 GOLDENGRAIN_FUZZ_SEEDS="$folder" "$(binary_of "$target")"
  done
}

merge() {
  local target=$1 corpus="$SCRATCH/fuzz/corpus/$1"
  build "$target"
  local merged="$SCRATCH/fuzz/corpus/$target.merged"
  rm -rf "$merged"; mkdir -p "$merged"
  nice -n 19 "$(binary_of "$target")" -merge=1 -timeout="$TIMEOUT" -rss_limit_mb="$RSS_LIMIT_MB" \
    "$merged" "$corpus" "Fuzz/Corpus/$target" > "$SCRATCH/fuzz/logs/$target-merge.log" 2>&1
  rm -rf "$corpus"; mv "$merged" "$corpus"
  echo "merge $target: $(find "$corpus" -type f | wc -l) files"
}

report() {
  # runs, seconds, executions and findings summed over Fuzz/runs.tsv; the working corpus as it is now.
  printf "%-12s %5s %7s %6s %12s %8s %10s %9s\n" target runs seconds hours executions corpus bytes findings
  awk -F'\t' 'NR > 1 { seconds[$2] += $3; executions[$2] += $4; findings[$2] += $6; runs[$2]++ }
    END { for (t in seconds) print t, runs[t], seconds[t], executions[t], findings[t] }' Fuzz/runs.tsv | sort \
    | while read -r target runs seconds executions findings; do
        local corpus="$SCRATCH/fuzz/corpus/$target" files=0 bytes=0
        if [ -d "$corpus" ]; then
          files=$(find "$corpus" -type f | wc -l)
          bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
        fi
        printf "%-12s %5d %7d %6.2f %12d %8d %10d %9d\n" "$target" "$runs" "$seconds" "$(echo "$seconds / 3600" | bc -l)" \
          "$executions" "$files" "$bytes" "$findings"
      done
}

# Total seconds per target in Fuzz/runs.tsv, least first ("target seconds" lines, every target listed).
totals() {
  { for target in "${TARGETS[@]}"; do printf '%s\t0\n' "$target"; done
    awk -F'\t' 'NR > 1 { print $2 "\t" $3 }' Fuzz/runs.tsv; } \
    | awk -F'\t' '{ total[$1] += $2 } END { for (t in total) print t, total[t] }' | sort -k2,2n -k1,1
}

# Runs chunks until the deadline. A chunk that ends in a finding does not stop the rotation: the
# finding stays in the artifacts folder for a fix, and that target is skipped until its artifacts
# folder is empty again (the fix's commit moves the input into a unit test).
rotate() {
  local until_epoch chunk=${2:-900}
  until_epoch=$(date -u -d "$1" +%s)
  while :; do
    local left=$(( until_epoch - $(date -u +%s) ))
    if [ "$left" -lt 60 ]; then echo "rotate: deadline reached"; break; fi
    local target="" candidate
    while read -r candidate _; do
      if [ -z "$(find "$SCRATCH/fuzz/artifacts/$candidate" -type f 2>/dev/null | head -n 1)" ]; then
        target=$candidate; break
      fi
    done < <(totals)
    if [ -z "$target" ]; then echo "rotate: every target has an unfixed finding"; break; fi
    local seconds=$(( left < chunk ? left : chunk ))
    echo "rotate: $(date -u +%H:%M:%S) $target for $seconds s"
    FUZZ_NO_BUILD=1 "$SELF" run "$target" "$seconds" || echo "rotate: $target stopped with a finding or an error"
  done
}

main() {
  command=${1:-list}
  shift || true
  case "$command" in
    list) printf '%s\n' "${TARGETS[@]}" ;;
    build) if [ $# -eq 0 ]; then build "${TARGETS[@]}"; else build "$@"; fi ;;
    run) [ $# -ge 1 ] || { echo "usage: scripts/fuzz.sh run TARGET [SECONDS]" >&2; exit 2; }; run "$@" ;;
    seeds) if [ $# -eq 0 ]; then seeds "${TARGETS[@]}"; else seeds "$@"; fi ;;
    merge) [ $# -eq 1 ] || { echo "usage: scripts/fuzz.sh merge TARGET" >&2; exit 2; }; merge "$1" ;;
    report) report ;;
    rotate) [ $# -ge 1 ] || { echo "usage: scripts/fuzz.sh rotate UNTIL [CHUNK]" >&2; exit 2; }; rotate "$@" ;;
    *) echo "unknown command '$command'; expected list, build, run, seeds, merge, report or rotate" >&2; exit 2 ;;
  esac
}
# One line, parsed whole before it runs: editing this file during a long rotation cannot feed bash
# the new text's tail.
main "$@"; exit $?
