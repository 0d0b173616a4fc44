#!/usr/bin/env bash
# test-docker.sh [GO TEST ARGS...]
#
# Runs the integration tests (./integration/) with the container backend
# linked in: the module integration/redistest/dockerbackend (dockertest),
# which the library's own go.mod does not require. It writes, in a
# temporary directory, a go.work that uses both modules and an overlay
# that adds one file to the integration package,
#
#   import _ "github.com/actoredis/actoredis/integration/redistest/dockerbackend"
#
# so nothing in the tree changes and go mod tidy never sees the import.
# The servers are containers of REDIS_IMAGE (redis:7.4, redis:8.2,
# valkey/valkey:8, valkey/valkey:9, ...), or of redis:7.0 when REDIS_IMAGE
# is unset and no redis-server is on PATH. Clusters and sentinels run as
# processes only: their tests fail under REDIS_IMAGE and say so.
#
#   REDIS_IMAGE=valkey/valkey:8 bash scripts/test-docker.sh -run TestCore
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
go=${GO:-go}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/actoredis-docker.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

goversion=$(sed -n 's/^go //p' "$root/go.mod")
cat >"$tmp/go.work" <<WORK
go $goversion

use (
	$root
	$root/integration/redistest/dockerbackend
)
WORK
cat >"$tmp/dockerbackend_test.go" <<'GO'
//go:build integration

package integration

import _ "github.com/actoredis/actoredis/integration/redistest/dockerbackend"
GO
printf '{"Replace":{"%s":"%s"}}\n' "$root/integration/zz_dockerbackend_overlay_test.go" "$tmp/dockerbackend_test.go" >"$tmp/overlay.json"

printf 'test-docker: REDIS_IMAGE=%s, DOCKER_HOST=%s\n' "${REDIS_IMAGE:-(unset: redis-server on PATH, else redis:7.0)}" "${DOCKER_HOST:-(default)}" >&2
cd "$root"
GOWORK="$tmp/go.work" "$go" test -tags integration -overlay "$tmp/overlay.json" "$@" ./integration/
