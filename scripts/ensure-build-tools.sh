#!/usr/bin/env bash
# ensure-build-tools.sh makes sure scripts/build-server.sh can build the
# servers of the test matrix from source: a C compiler, make, the C
# library's headers, and OpenSSL's headers (so that the servers speak TLS
# and the TLS tests run on them too).
#
#   - all there: nothing to do.
#   - else, when apt-get can be run (as root, or through sudo without a
#     password): apt-get update, then apt-get install -y build-essential
#     libssl-dev pkg-config.
#   - else: say what is missing and how to get it, and exit 1.
#
# ENSURE_BUILD_TOOLS_CHECK=1 only reports what is missing (exit 1 when
# anything is), installing nothing.
set -euo pipefail

say() { printf 'ensure-build-tools: %s\n' "$*" >&2; }

# missing prints the Debian package of each tool or header that is not
# there (the C compiler is gcc or cc; g++ is optional: jemalloc builds
# its C++ part only when there is one).
missing() {
	command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || echo build-essential
	command -v make >/dev/null 2>&1 || echo build-essential
	[ -f /usr/include/stdlib.h ] || echo build-essential
	[ -f /usr/include/openssl/ssl.h ] || echo libssl-dev
	command -v pkg-config >/dev/null 2>&1 || echo pkg-config
}

need=$(missing | sort -u | tr '\n' ' ')
need=${need% }
if [ -z "$need" ]; then
	say "gcc, make, the C headers and OpenSSL's headers are there"
	exit 0
fi
if [ "${ENSURE_BUILD_TOOLS_CHECK:-0}" = 1 ]; then
	say "missing: $need"
	exit 1
fi

# shellcheck source=apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

if ! apt_available; then
	say "cannot build the servers of the test matrix: $need missing, and apt-get"
	say "cannot be run here (not root, no password-less sudo). Install them:"
	say "  sudo apt-get install -y $need"
	exit 1
fi
say "installing $need with apt-get (to build the servers of the test matrix)"
# shellcheck disable=SC2086 # a list of packages
apt_install $need
need=$(missing | sort -u | tr '\n' ' ')
if [ -n "${need% }" ]; then
	say "apt-get ran, but still missing: $need"
	exit 1
fi
say "installed: $(gcc --version | head -n 1); $(make --version | head -n 1)"
