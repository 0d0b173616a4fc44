#!/usr/bin/env bash
# build-server.sh NAME
#
# Builds a server of the test matrix from its upstream source tarball,
# ../shared/servers/<tarball>.tar.gz beside the work tree (override with
# ACTOREDIS_SERVER_SOURCES=dir), into a cache outside the work tree:
#
#   ${ACTOREDIS_SERVER_CACHE:-$HOME/.cache/actoredis/servers}/<tarball>/
#     <source dir>/      the unpacked tree, built in place
#     build.log          make's output
#     bin/               redis-server, redis-cli, redis-sentinel,
#                        redis-benchmark (and valkey-* for Valkey):
#                        relative symlinks into <source dir>/src
#     .built             the stamp: the tarball's sha256, the version and
#                        whether it speaks TLS
#
# so that PATH=<cache>/<tarball>/bin:$PATH runs it, and the test harness
# (REDISTEST_SERVER=NAME) finds it. A server is built once and reused: a
# second run finds the stamp and only prints the bin directory. Concurrent
# runs are safe: the build holds a lock, happens in a temporary directory
# beside its final place, and is renamed into place when complete.
#
# NAME is a tarball's name without .tar.gz (redis-7.4.1,
# valkey-unstable-2026-05-19), a version prefix of one (redis-7.4,
# valkey-8), or valkey-9: the Valkey development tree (valkey-unstable-*,
# every command of Valkey 9.0 and 9.1). redis-7.0 is the system's
# redis-server (Debian's package); it is checked, not built.
#
# The server speaks TLS (BUILD_TLS=yes) when OpenSSL's headers are there
# (Debian's libssl-dev; scripts/test-matrix.sh installs it when it can),
# so that the TLS tests run on it too; a cached build without TLS is built
# again once the headers are there.
#
# The last line on stdout is the bin directory; progress goes to stderr.
# A build takes about a minute of two cores (ACTOREDIS_BUILD_JOBS, default 2).
set -euo pipefail

say() { printf 'build-server: %s\n' "$*" >&2; }

if [ $# -ne 1 ] || [ -z "$1" ]; then
	say "usage: $0 NAME   (redis-7.0, redis-7.4.1, valkey-8.0.1, valkey-9, or a tarball's name)"
	exit 2
fi
name=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sources=${ACTOREDIS_SERVER_SOURCES:-$root/../shared/servers}
cache=${ACTOREDIS_SERVER_CACHE:-$HOME/.cache/actoredis/servers}
jobs=${ACTOREDIS_BUILD_JOBS:-2}
tls=no
if [ -f /usr/include/openssl/ssl.h ]; then
	tls=yes
fi

# The system's Redis 7.0: the floor of the matrix, installed by make test.
if [ "$name" = redis-7.0 ]; then
	for bin in $(type -ap redis-server) /usr/bin/redis-server; do
		if [ -x "$bin" ] && "$bin" --version | grep -q ' v=7\.0\.'; then
			say "redis-7.0 is $bin ($("$bin" --version | cut -d' ' -f1-3)); nothing to build"
			dirname "$bin"
			exit 0
		fi
	done
	say "no Redis 7.0 on PATH or in /usr/bin: install it (apt-get install -y redis-server, or run bash scripts/ensure-redis.sh)"
	exit 1
fi

# resolve NAME: the tarball it names, the newest one first.
case $name in
valkey-9) pattern='valkey-unstable-*' ;;
*) pattern="$name" ;;
esac
tarball=""
if [ -f "$sources/$name.tar.gz" ]; then
	tarball=$sources/$name.tar.gz
else
	# shellcheck disable=SC2086 # the pattern is a glob on purpose
	tarball=$( (cd "$sources" 2>/dev/null && ls -d $pattern.tar.gz $pattern.*.tar.gz $pattern-*.tar.gz 2>/dev/null || true) |
		sort -uV | tail -n 1)
	[ -n "$tarball" ] && tarball=$sources/$tarball
fi
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
	say "no source for $name in $sources (there: $(cd "$sources" 2>/dev/null && ls ./*.tar.gz 2>/dev/null | tr '\n' ' ' || echo nothing));"
	say "put the upstream tarball there, or set ACTOREDIS_SERVER_SOURCES to the directory holding it"
	exit 1
fi
key=$(basename "$tarball" .tar.gz)
dest=$cache/$key

# link_bins DIR SRC: bin/ links, relative so that the tree can be renamed.
link_bins() {
	local dir=$1 src=$2 b p
	mkdir -p "$dir/bin"
	for b in server cli sentinel benchmark; do
		for p in redis valkey; do
			if [ -x "$dir/$src/src/$p-$b" ]; then
				# A link that works is kept: a server may be starting through it.
				[ -e "$dir/bin/redis-$b" ] || ln -sfn "../$src/src/$p-$b" "$dir/bin/redis-$b"
				if [ "$p" = valkey ] && [ ! -e "$dir/bin/valkey-$b" ]; then
					ln -sfn "../$src/src/$p-$b" "$dir/bin/valkey-$b"
				fi
				break
			fi
		done
	done
}

# built DIR: the stamp, or the same layout made without one (by an earlier
# script) with a server that runs; such a tree is adopted and stamped.
built() {
	local dir=$1 src
	if [ -f "$dir/.built" ]; then
		grep -qx "tls $tls" "$dir/.built" && return 0
		[ "$tls" = no ] && ! grep -q '^tls ' "$dir/.built" && return 0
		return 1 # built without TLS, which can be had now: build again
	fi
	[ "$tls" = no ] || return 1 # an older tree, built without TLS
	[ -x "$dir/bin/redis-server" ] && "$dir/bin/redis-server" --version >/dev/null 2>&1 || return 1
	src=$(cd "$dir" && ls -d ./*/src 2>/dev/null | head -n 1)
	src=${src#./}
	[ -n "$src" ] && link_bins "$dir" "${src%/src}"
	stamp "$dir"
}

stamp() {
	{
		echo "tarball $(basename "$tarball") sha256 $(sha256sum "$tarball" | cut -d' ' -f1)"
		echo "version $("$1/bin/redis-server" --version)"
		echo "tls $tls"
	} >"$1/.stamp.tmp.$$"
	mv -f "$1/.stamp.tmp.$$" "$1/.built"
}

if built "$dest"; then
	say "$key: cached in $dest ($(sed -n 's/^version //p' "$dest/.built" | cut -d' ' -f1-3))"
	echo "$dest/bin"
	exit 0
fi

# A <key>.tmp beside it is a build in progress by the layout's first
# script (build-servers.sh), which holds no lock: wait for it rather than
# build the same tree twice (up to 15 minutes).
waited=0
while [ -d "$dest.tmp" ] && ! built "$dest" && [ $waited -lt 900 ]; do
	[ $waited -eq 0 ] && say "$key: $dest.tmp is being built by another script; waiting for it"
	sleep 5
	waited=$((waited + 5))
done
if built "$dest"; then
	say "$key: built by the other script in $dest"
	echo "$dest/bin"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.$key.lock"
if ! flock -n 9; then
	say "$key: another build holds $cache/.$key.lock; waiting for it"
	flock 9
fi
if built "$dest"; then # built while we waited
	echo "$dest/bin"
	exit 0
fi

tmp=$(mktemp -d "$cache/.$key.build.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
say "$key: building from $tarball in $tmp (about a minute, -j$jobs; log: build.log)"
start=$SECONDS
tar xzf "$tarball" -C "$tmp"
src=$(cd "$tmp" && ls -d ./*/ | head -n 1)
src=${src#./}
src=${src%/}
if ! make -C "$tmp/$src" -j"$jobs" BUILD_TLS="$tls" >"$tmp/build.log" 2>&1; then
	say "$key: make failed; the end of its log:"
	tail -n 30 "$tmp/build.log" >&2
	exit 1
fi
link_bins "$tmp" "$src"
if [ ! -x "$tmp/bin/redis-server" ] || [ ! -x "$tmp/bin/redis-cli" ]; then
	say "$key: the build made no server or cli in $tmp/$src/src"
	exit 1
fi
stamp "$tmp"
# An unstamped leftover (an interrupted build without a stamp) goes first;
# rename(2) of a directory onto a non-empty one fails, so a tree that
# another build renamed into place meanwhile is never replaced.
if [ -e "$dest" ] && ! built "$dest"; then
	rm -rf "$dest"
fi
mv -T "$tmp" "$dest"
trap - EXIT
say "$key: built in $((SECONDS - start)) s: $("$dest/bin/redis-server" --version | cut -d' ' -f1-3)"
echo "$dest/bin"
