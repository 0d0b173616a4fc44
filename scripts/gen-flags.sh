#!/usr/bin/env bash
# gen-flags.sh regenerates messages/table.go and the per-server command
# lists (messages/testdata/commands/<server>.tsv) from the COMMAND and
# COMMAND DOCS replies of every server of the test matrix (MATRIX_SERVERS,
# default: redis-7.0 redis-7.4.1 valkey-8.0.1 valkey-9). Each server is
# found (or built once) by scripts/build-server.sh, started on a private
# unix socket with no persistence, asked, and stopped. messages' go
# generate runs it:
#
#	cd messages && go generate
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
servers=${MATRIX_SERVERS:-redis-7.0 redis-7.4.1 valkey-8.0.1 valkey-9}
dir=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

args=()
for name in $servers; do
	bin=$(bash "$root/scripts/build-server.sh" "$name" | tail -n 1)
	server="$bin/redis-server"
	[ -x "$bin/valkey-server" ] && server="$bin/valkey-server"
	sock="$dir/$name.sock"
	"$server" --port 0 --unixsocket "$sock" --save '' --appendonly no --daemonize no \
		--dir "$dir" --logfile "$dir/$name.log" &
	pids+=($!)
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
	[ -S "$sock" ] || { echo "gen-flags: $name did not start; see its log:" >&2; cat "$dir/$name.log" >&2; exit 1; }
	args+=(-server "$name=$sock")
done
cd "$root/messages"
go run ./internal/gen -out table.go -lists testdata/commands "${args[@]}"
