#!/usr/bin/env bash
# check-graph.sh checks that imports follow the package graph of DESIGN.md
# and STYLE.md (tests and files behind the integration tag included):
#
#   resp      -> nothing of the module
#   messages  -> resp
#   actors    -> messages, resp, protoactor-go; never client
#   client    -> actors, messages, resp
#   integration, examples -> client (+ resp), never actors directly
#
# and that only actors imports github.com/asynkron/protoactor-go: no other
# package imports it directly, and resp and messages do not reach it at all.
# A part of the tree that has no packages yet is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TAGS=${GRAPH_TAGS:-integration}
PROTO=github.com/asynkron/protoactor-go
MOD=$(go list -m)
failures=0

fail() {
	printf 'check-graph: %s\n' "$*" >&2
	failures=$((failures + 1))
}

# packages DIR: the module's packages under DIR, one a line (none yet: empty).
packages() {
	go list -e -tags "$TAGS" -f '{{.ImportPath}}' "./$1/..." 2>/dev/null || true
}

# deps DIR: every package that the packages under DIR and their tests
# depend on, with test variants folded into their package.
deps() {
	go list -e -deps -test -tags "$TAGS" -f '{{.ImportPath}}' "./$1/..." 2>/dev/null |
		sed -e 's/ \[.*\]$//' -e 's/\.test$//' -e 's/_test$//' | sort -u
}

# direct DIR: "package import" pairs for the direct imports of the packages
# under DIR, their tests included.
direct() {
	go list -e -tags "$TAGS" \
		-f '{{$p := .ImportPath}}{{range .Imports}}{{$p}} {{.}}{{"\n"}}{{end}}{{range .TestImports}}{{$p}} {{.}}{{"\n"}}{{end}}{{range .XTestImports}}{{$p}} {{.}}{{"\n"}}{{end}}' \
		"./$1/..." 2>/dev/null | sed '/^$/d' | sort -u
}

# only_module_deps DIR ALLOWED...: the module packages that DIR depends on
# must lie under one of the ALLOWED directories.
only_module_deps() {
	local dir=$1 dep rel ok allowed
	shift
	while IFS= read -r dep; do
		case $dep in "$MOD"/*) ;; *) continue ;; esac
		rel=${dep#"$MOD"/}
		ok=no
		for allowed in "$@"; do
			case $rel in "$allowed" | "$allowed"/*) ok=yes ;; esac
		done
		[ "$ok" = yes ] || fail "$dir may depend only on $* of this module, but depends on $rel"
	done < <(deps "$dir")
}

# no_dep DIR PREFIX REASON: nothing under DIR may depend on PREFIX at all.
no_dep() {
	local dep found=()
	while IFS= read -r dep; do
		case $dep in "$2" | "$2"/*) found+=("$dep") ;; esac
	done < <(deps "$1")
	if [ "${#found[@]}" -gt 0 ]; then
		fail "$1 depends on ${found[*]}: $3"
	fi
}

# no_direct DIR PREFIX REASON: nothing under DIR may import PREFIX directly.
no_direct() {
	local pkg imp
	while read -r pkg imp; do
		case $imp in "$2" | "$2"/*) fail "${pkg#"$MOD"/} imports $imp: $3" ;; esac
	done < <(direct "$1")
}

present() {
	if [ -z "$(packages "$1")" ]; then
		printf 'check-graph: skipping %s (no packages yet)\n' "$1" >&2
		return 1
	fi
}

if present resp; then
	only_module_deps resp resp
	no_dep resp "$PROTO" "only actors may use protoactor"
fi
if present messages; then
	only_module_deps messages messages resp
	no_dep messages "$PROTO" "only actors may use protoactor"
fi
if present actors; then
	no_dep actors "$MOD/client" "actors must not import client"
fi
for dir in integration examples; do
	if present "$dir"; then
		no_direct "$dir" "$MOD/actors" "$dir uses client, never actors"
	fi
done

# Only actors imports protoactor directly.
while read -r pkg imp; do
	case $pkg in "$MOD/actors" | "$MOD"/actors/*) continue ;; esac
	case $imp in "$PROTO" | "$PROTO"/*) fail "${pkg#"$MOD"/} imports $imp: only actors may use protoactor" ;; esac
done < <(direct .)

if [ "$failures" -gt 0 ]; then
	printf 'check-graph: %d violation(s) of the package graph\n' "$failures" >&2
	exit 1
fi
echo "check-graph: package graph OK"
