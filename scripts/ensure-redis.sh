#!/usr/bin/env bash
# ensure-redis.sh makes sure the integration tests can have a Redis server.
#
#   - redis-server on PATH: nothing to do.
#   - else, when apt-get can be run (as root, or through sudo without a
#     password): apt-get update, then apt-get install -y redis-server. The
#     service that the package would start is kept from starting (and, under
#     systemd, disabled): the tests start their own servers on free ports.
#   - else, when a Docker daemon answers: the tests will run Redis in Docker.
#   - else: say how to get one, and exit 1.
set -euo pipefail

say() { printf 'ensure-redis: %s\n' "$*" >&2; }

if command -v redis-server >/dev/null 2>&1; then
	say "using $(command -v redis-server) ($(redis-server --version | head -n 1))"
	exit 0
fi

# shellcheck source=apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

if apt_available; then
	say "redis-server is not installed: installing it with apt-get"
	# A policy-rc.d that answers 101 keeps the package's service from being
	# started during the install. An existing one (common in containers) is
	# left as it is.
	policy=/usr/sbin/policy-rc.d
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# ensure-redis.sh: no service starts during its install\nexit 101\n' |
			$as_root tee "$policy" >/dev/null
		$as_root chmod 0755 "$policy"
		trap '$as_root rm -f "$policy"' EXIT
	fi
	apt_install redis-server
	# Under systemd the unit may be enabled (and started) all the same.
	if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
		$as_root systemctl disable --now redis-server >/dev/null 2>&1 || true
	fi
	if ! command -v redis-server >/dev/null 2>&1; then
		say "apt-get installed redis-server, but it is not on PATH ($PATH)"
		exit 1
	fi
	say "installed $(command -v redis-server) ($(redis-server --version | head -n 1))"
	exit 0
fi

if command -v docker >/dev/null 2>&1 &&
	[ -n "$(timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null || true)" ]; then
	say "redis-server is not installed and cannot be installed here; the tests will run ${REDIS_IMAGE:-redis:7.0} in Docker"
	exit 0
fi

cat >&2 <<'MSG'
ensure-redis: no Redis server for the integration tests. redis-server is not on
PATH, apt-get cannot be run here (not root and no password-less sudo), and no
Docker daemon answers. Get one of them:
  - install Redis 7.0 or newer: sudo apt-get install -y redis-server
    (or your system's package), so that redis-server is on PATH;
  - or start a Docker daemon: the tests then run redis:7.0 containers;
  - or, for tests that share one server, set REDIS_ADDR=host:port to a
    running server (tests that kill and restart servers still need one of
    the two above).
MSG
exit 1
