#!/usr/bin/env bash
# Builds everything in release mode once, runs every test suite, and ends with one summary line
# "total: N passed, M failed, K skipped". Exit status 1 if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
passed=0; failed=0; skipped=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

echo "== build (release, with tests; an import of a package target outside the importer's dependencies fails it)"
if ! swift build -c release --build-tests --explicit-target-dependency-import-check error; then
  echo "build failed"
  echo "total: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "== module graph and imports: Package.swift against docs/architecture.md, every import declared"
python3 scripts/check_modules.py | tee out/module-checks.txt
summary=$(tail -n 1 out/module-checks.txt)
if [[ "$summary" =~ ^module\ checks:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
  add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
else
  echo "module checks: no summary line"
  add 0 1 0
fi

echo "== swift test (Swift Testing, release)"
rm -f out/xunit*.xml
swift test -c release --skip-build --xunit-output out/xunit.xml 2>&1 | tee out/swift-test.log
swift_status=${PIPESTATUS[0]}
echo "== parameterized suites (official vectors and tables): cases per test"
grep -E "Test .* with [0-9]+ test cases (passed|failed)" out/swift-test.log \
  | sed -E 's/^. Test (.*) with ([0-9]+) test cases (passed|failed).*/  \2 cases \3: \1/'
read -r p f s < <(python3 scripts/xunit_counts.py out/xunit-swift-testing.xml out/xunit.xml)
if [ "$swift_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
echo "swift tests: $p passed, $f failed, $s skipped"
add "$p" "$f" "$s"

echo "== ethereum/tests GeneralStateTests (post.Cancun; EIP-4844 cases skipped)"
state_tests="../shared/fixtures/ethereum-tests/GeneralStateTests"
if [ -d "$state_tests" ]; then
  .build/release/goldengrain statetest --quiet "$state_tests" > out/statetest.txt
  tail -n 40 out/statetest.txt
  summary=$(tail -n 1 out/statetest.txt)
  if [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    echo "state tests: $summary"
    add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
  else
    echo "state tests: no summary line (crashed?)"
    add 0 1 0
  fi
else
  echo "state tests: $state_tests not found"
  add 0 1 0
fi

echo "== differential fuzzing against revm (Tests/difftest: fixed-seed smoke, one line per disagreement)"
if [ -x .venv/bin/python ]; then
  GOLDENGRAIN_BIN="$PWD/.build/release/goldengrain" .venv/bin/python Tests/difftest/difftest.py run --seed 1 --cases 3000 \
    2>&1 | tee out/difftest-smoke.txt
  summary=$(tail -n 1 out/difftest-smoke.txt)
  if [[ "$summary" =~ ^difftest:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
  else
    echo "difftest: no summary line (crashed?)"
    add 0 1 0
  fi
else
  echo "difftest: .venv missing (run make deps)"
  add 0 1 0
fi

echo "== end-to-end (pytest + web3.py against the release binary)"
if [ -x .venv/bin/python ]; then
  GOLDENGRAIN_BIN="$PWD/.build/release/goldengrain" .venv/bin/python -m pytest Tests/e2e -q -p no:cacheprovider 2>&1 | tee out/pytest.log
  # pytest's last line: "== 40 passed, 1 failed, 2 skipped in 12.3s ==" (any of the counts may be absent).
  summary=$(grep -E "(passed|failed|error|skipped)" out/pytest.log | tail -n 1)
  count() { echo "$summary" | grep -oE "[0-9]+ $1" | grep -oE "[0-9]+" || echo 0; }
  e2e_passed=$(count passed); e2e_failed=$(( $(count failed) + $(count error) )); e2e_skipped=$(count skipped)
  if [ -z "$summary" ]; then e2e_failed=1; fi
  echo "e2e tests: $e2e_passed passed, $e2e_failed failed, $e2e_skipped skipped"
  add "$e2e_passed" "$e2e_failed" "$e2e_skipped"
else
  echo "e2e tests: .venv missing (run make deps)"
  add 0 1 0
fi

echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
