#!/usr/bin/env bash
# Runs the whole test suite and ends with one line: "N passed, M failed".
# Usage: bash tests/run.sh [deno test args…]   (defaults to every test under tests/)
# The whole suite (no arguments): the files under tests/long/ (proofs that need minutes of real
# time but little CPU) run in a second process beside the rest, so they add no time to it.
set -uo pipefail
cd "$(dirname "$0")/.."
args=("$@")
long_log=""
if [ ${#args[@]} -eq 0 ]; then
  args=(--ignore=tests/long/ tests/)
  long_log=$(mktemp)
  deno test -A --no-check=remote tests/long/ >"$long_log" 2>&1 &
  long_pid=$!
fi
log=$(mktemp)
deno test -A --no-check=remote "${args[@]}" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
# The last summary line a deno test run printed ("ok | N passed | M failed"), or nothing.
summary() { sed -E 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -n 1; }
passed=0
failed=0
count() {
  local s
  s=$(summary "$1")
  if [ -z "$s" ]; then
    failed=$((failed + 1)) # the run ended without a summary
    return 1
  fi
  passed=$((passed + $(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$s")))
  failed=$((failed + $(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$s")))
}
count "$log" || code=1
rm -f "$log"
if [ -n "$long_log" ]; then
  wait "$long_pid"
  long_code=$?
  echo "--- tests/long/ (ran beside the rest) ---"
  cat "$long_log"
  count "$long_log" || long_code=1
  [ "$long_code" -ne 0 ] && code=$long_code
  rm -f "$long_log"
fi
echo "${passed} passed, ${failed} failed"
exit "$code"
