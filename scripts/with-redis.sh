#!/usr/bin/env bash
# with-redis.sh COMMAND [ARG...]
#
# Runs COMMAND with REDIS_ADDR (host:port) naming a Redis server, and
# returns its exit status.
#
#   - REDIS_ADDR already set: that server is used as it is.
#   - else redis-server on PATH: a private one is started on a free loopback
#     port (not daemonized, no persistence, data and log in a temporary
#     directory), and stopped when COMMAND ends, however it ends.
#   - else, when a Docker daemon answers: a ${REDIS_IMAGE:-redis:7.0}
#     container published on 127.0.0.1, removed at the end.
#   - else: fails and says how to get one (scripts/ensure-redis.sh).
set -euo pipefail

say() { printf 'with-redis: %s\n' "$*" >&2; }

if [ $# -eq 0 ]; then
	say "usage: $0 COMMAND [ARG...]"
	exit 2
fi

if [ -n "${REDIS_ADDR:-}" ]; then
	say "using REDIS_ADDR=$REDIS_ADDR"
	exec "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/with-redis.XXXXXX")
pid=""
container=""

stop() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 500); do # up to 5 s
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.01
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		pid=""
	fi
	if [ -n "$container" ]; then
		docker rm --force "$container" >/dev/null 2>&1 || true
		container=""
	fi
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# free_port prints a loopback port that nothing listens on now. Ports are
# taken below the kernel's ephemeral range; a lost race is retried.
free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
}

# server_pid prints the process_id that the server on port reports in
# INFO server, or nothing when it does not answer.
server_pid() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
		printf '*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n' >&3
		while IFS= read -r -t 1 line <&3; do
			case $line in
			process_id:*)
				line=${line#process_id:}
				echo "${line%$'\r'}"
				exit 0
				;;
			esac
		done
	) 2>/dev/null || true
}

# pong reports whether the server on port answers PING.
pong() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'PING\r\n' >&3
		IFS= read -r -t 1 line <&3 && [[ $line == +PONG* ]]
	) 2>/dev/null
}

start_local() {
	local attempt port log="$dir/redis.log"
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
			--enable-debug-command local --dir "$dir" >>"$log" 2>&1 &
		pid=$!
		for _ in $(seq 1 200); do # up to 2 s
			if [ "$(server_pid "$port")" = "$pid" ]; then
				REDIS_ADDR="127.0.0.1:$port"
				return 0
			fi
			if ! kill -0 "$pid" 2>/dev/null; then
				break
			fi
			sleep 0.01
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		pid=""
		if ! grep -q "Address already in use" "$log"; then
			say "redis-server did not answer on port $port within 2 s; its log ends with:"
			tail -n 20 "$log" >&2
			return 1
		fi
		say "port $port was taken (attempt $attempt); trying another"
	done
	say "no free port after 5 attempts"
	return 1
}

start_docker() {
	local port image=${REDIS_IMAGE:-redis:7.0}
	port=$(free_port)
	container="with-redis-$$-$port"
	if ! docker run --detach --name "$container" --label redistest=1 \
		--publish "127.0.0.1:$port:6379" "$image" \
		redis-server --save "" --appendonly no >/dev/null; then
		say "could not start a $image container"
		return 1
	fi
	for _ in $(seq 1 300); do # up to 30 s
		if pong "$port"; then
			REDIS_ADDR="127.0.0.1:$port"
			return 0
		fi
		sleep 0.1
	done
	say "the $image container did not answer PING within 30 s; its log ends with:"
	docker logs --tail 20 "$container" >&2 || true
	return 1
}

if command -v redis-server >/dev/null 2>&1; then
	start_local
elif command -v docker >/dev/null 2>&1 &&
	[ -n "$(timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null || true)" ]; then
	start_docker
else
	say "no redis-server on PATH and no Docker daemon: run scripts/ensure-redis.sh (or apt-get install -y redis-server), or set REDIS_ADDR=host:port"
	exit 1
fi

export REDIS_ADDR
say "REDIS_ADDR=$REDIS_ADDR"
status=0
"$@" || status=$?
exit "$status"
