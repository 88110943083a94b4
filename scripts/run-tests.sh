#!/bin/sh
# run-tests.sh — what `make test` runs: builds (release + sanitizer builds), then the C unit tests
# under ASan/UBSan, the black-box API tests (pytest + boto3 against a server each test session
# starts itself), and the AWS CLI smoke script. Every layer runs even if an earlier one failed; the
# last line is the plain total "N passed, N failed", and the exit status is non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
PYTHON=/usr/bin/python3
mkdir -p build/test
passed=0
failed=0

add_counts() {  # add_counts LINE: adds the "N passed" / "N failed" (and errors) found in LINE
    p=$(echo "$1" | grep -o '[0-9]\+ passed' | grep -o '[0-9]\+' | head -n 1)
    f=$(echo "$1" | grep -o '[0-9]\+ failed' | grep -o '[0-9]\+' | head -n 1)
    e=$(echo "$1" | grep -o '[0-9]\+ error' | grep -o '[0-9]\+' | head -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0} + ${e:-0}))
}

jobs=$(nproc 2>/dev/null || echo 2)
if ! make -s -j"$jobs" build/dynastream build/asan/dynastream build/asan/unit_tests \
        build/dynastream-replicator build/asan/dynastream-replicator; then
    echo "build failed"
    echo "0 passed, 1 failed"
    exit 1
fi

echo "== unit tests (ASan/UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build/asan/unit_tests > build/test/unit.log 2>&1
unit_status=$?
cat build/test/unit.log | tail -n 30
line=$(grep -E '^unit: [0-9]+ passed' build/test/unit.log | tail -n 1)
if [ -z "$line" ]; then
    line="0 passed, 1 failed"   # the runner crashed before its summary
fi
[ $unit_status -ne 0 ] && ! echo "$line" | grep -q '[1-9][0-9]* failed' && line="$line, 1 failed"
add_counts "$line"

echo "== API tests (pytest + boto3)"
$PYTHON -m pytest -q -p no:cacheprovider tests/api 2>&1 | tee build/test/api.log | tail -n 40
line=$(grep -E '[0-9]+ (passed|failed)' build/test/api.log | tail -n 1)
[ -z "$line" ] && line="0 passed, 1 failed"
add_counts "$line"

echo "== AWS CLI smoke test"
sh tests/cli/smoke.sh > build/test/cli.log 2>&1
cat build/test/cli.log | tail -n 20
line=$(grep -E '^cli: [0-9]+ passed' build/test/cli.log | tail -n 1)
[ -z "$line" ] && line="0 passed, 1 failed"
add_counts "$line"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
