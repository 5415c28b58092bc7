#!/usr/bin/env bash
# Part of Yizhuang. All the tests, from a fresh machine: install, build,
# then run lit (every lit test plus the GoogleTest cases). The last line
# is "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${YZ_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh" || exit 1
start=$(date +%s)
"$root/scripts/build.sh" || exit 1
built=$(date +%s)
echo "build: $((built - start)) s"

log="$build/test-results.txt"
/usr/lib/llvm-22/bin/lit -sv --order=lexical "$build/test" "$build/test/Unit" \
  2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo "tests: $(( $(date +%s) - built )) s"

count() { # the number on lit's summary line for a category, else 0
  awk -v k="$1" '$1 == k":" { n = $2 } END { print n + 0 }' "$log"
}
passed=$(count Passed)
failed=$(( $(count Failed) + $(count Unresolved) ))
timed=$(awk '$1 == "Timed" && $2 == "Out:" { n = $3 } END { print n + 0 }' "$log")
failed=$(( failed + timed ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # lit failed without a summary: count it
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
