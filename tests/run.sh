#!/usr/bin/env bash
# Runs the whole test suite and ends with one line: "N passed, M failed".
# Usage: bash tests/run.sh [deno test args…]   (defaults to every test under tests/)
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(tests/)
deno test -A --no-check=remote "${args[@]}" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
summary=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -n 1)
passed=$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")
failed=$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$summary")
rm -f "$log"
if [ -z "$summary" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$code"
