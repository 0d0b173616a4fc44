#!/usr/bin/env bash
# test-matrix.sh: the integration suite on each server of the matrix in
# turn, then a summary table.
#
#   MATRIX_SERVERS  servers, in order (default: redis-7.0 redis-7.4.1
#                   valkey-8.0.1 valkey-9), as REDISTEST_SERVER takes them;
#                   an entry server=PATTERN runs only the tests PATTERN
#                   matches on that server (make test does so)
#   MATRIX_RUN      go test -run pattern of the entries without one
#                   (default: every test)
#   MATRIX_PKGS     packages (default: ./integration/...)
#   MATRIX_FLAGS    go test flags (default: -race -count=1; make passes
#                   TEST_FLAGS, so make test-matrix RACE= runs without -race)
#   MATRIX_TIMEOUT  go test -timeout per server (default: 30m)
#   MATRIX_DIR      where each server's log and the table go (default:
#                   .matrix in the repository); the table is report.md
#
# Missing servers are built first (scripts/build-server.sh, about a minute
# each, once per machine). Every server runs even when one fails; the exit
# status is 1 when any failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
go=${GO:-go}
servers=${MATRIX_SERVERS:-redis-7.0 redis-7.4.1 valkey-8.0.1 valkey-9}
run=${MATRIX_RUN:-.}
pkgs=${MATRIX_PKGS:-./integration/...}
flags=${MATRIX_FLAGS:--race -count=1}
timeout=${MATRIX_TIMEOUT:-30m}
dir=${MATRIX_DIR:-$root/.matrix}
report=$dir/report.md

say() { printf 'test-matrix: %s\n' "$*" >&2; }
mkdir -p "$dir"

# The built servers speak TLS when OpenSSL's headers are there; a
# compiler, make and the headers are installed when apt-get can be run.
bash scripts/ensure-build-tools.sh

# Build (or find) every server before the first test run, so that the
# runs are not interleaved with builds.
declare -A bindir pattern
entries=()
for e in $servers; do
	s=${e%%=*}
	pattern[$s]=$run
	[ "$e" != "$s" ] && pattern[$s]=${e#*=}
	entries+=("$s")
done
for s in "${entries[@]}"; do
	if out=$(bash scripts/build-server.sh "$s"); then
		bindir[$s]=$(tail -n 1 <<<"$out")
	else
		say "$s: cannot be had (see above); its row will say so"
	fi
done

rows=()
selected=()
failures=()
status=0
for s in "${entries[@]}"; do
	log=$dir/$s.log
	if [ -z "${bindir[$s]:-}" ]; then
		rows+=("| $s | (not built) | - | 0 | 0 | - | 0 s | cannot be built: bash scripts/build-server.sh $s |")
		status=1
		continue
	fi
	version=$("${bindir[$s]}/redis-server" --version | sed -n 's/^\([^ ]*\) server v=\([^ ]*\).*/\1 \2/p')
	say "$s ($version): go test $flags -tags integration -timeout $timeout -run '${pattern[$s]}' $pkgs; log: $log"
	start=$SECONDS
	rc=0
	# shellcheck disable=SC2086 # flags and packages are lists
	REDISTEST_SERVER=$s "$go" test $flags -v -tags integration -timeout "$timeout" -run "${pattern[$s]}" $pkgs >"$log" 2>&1 || rc=$?
	took=$((SECONDS - start))
	# Top-level tests only: subtests are indented.
	passed=$(grep -c '^--- PASS: ' "$log" || true)
	failed=$(grep -c '^--- FAIL: ' "$log" || true)
	badpkgs=$(grep -cE '^FAIL[[:space:]]+[^[:space:]]+' "$log" || true)
	result=pass
	if [ "$rc" -ne 0 ]; then
		result="FAIL (exit $rc)"
		status=1
		if grep -q '^panic: test timed out' "$log"; then
			result="FAIL (timed out after $timeout)"
		fi
	fi
	tests=all
	if [ "${pattern[$s]}" != . ]; then
		tests="selected"
		selected+=("- $s: \`-run '${pattern[$s]}'\`")
	fi
	rows+=("| $s | $version | $tests | $passed | $failed | $badpkgs | $((took / 60))m$((took % 60))s | $result |")
	while read -r name; do
		[ -n "$name" ] && failures+=("- $s: $name")
	done < <(sed -n 's/^--- FAIL: \([^ ]*\).*/\1/p' "$log")
	say "$s: $passed passed, $failed failed, $took s ($result)"
done

{
	echo "# Integration suite per server"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)'), $(nproc) cores"
	echo "go test $flags -tags integration -timeout $timeout $pkgs"
	echo
	echo "| server | version | tests | tests passed | tests failed | packages failed | duration | result |"
	echo "|---|---|---|---:|---:|---:|---:|---|"
	printf '%s\n' "${rows[@]}"
	if [ ${#selected[@]} -gt 0 ]; then
		echo
		echo "Selected tests:"
		echo
		printf '%s\n' "${selected[@]}"
	fi
	if [ ${#failures[@]} -gt 0 ]; then
		echo
		echo "Failed tests:"
		echo
		printf '%s\n' "${failures[@]}"
	fi
	echo
	echo "Logs: $dir/<server>.log"
} >"$report"
echo
cat "$report"
exit "$status"
