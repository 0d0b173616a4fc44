#!/usr/bin/env bash
# check-commits.sh checks the commit messages of CONTRIBUTING.md:
#
#   pkg[, pkg]: imperative summary      <- at most 72 characters
#                                       <- blank
#   why, what was measured, what was rejected
#
# Usage: scripts/check-commits.sh [RANGE]
#
# RANGE defaults to the commits after scripts/commit-floor (the last commit
# before the rule held), merges included; with no floor in the clone (a
# shallow clone cut above it), the last 50. A message file as the only
# argument after -m checks one message file, so the script also serves as a
# commit-msg hook:
#
#   printf '#!/bin/sh\nexec scripts/check-commits.sh -m "$1"\n' > .git/hooks/commit-msg
#   chmod +x .git/hooks/commit-msg
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

failures=0
subject_re='^\.?[A-Za-z0-9][A-Za-z0-9_./-]*(, \.?[A-Za-z0-9][A-Za-z0-9_./-]*)*: [^ ].*[^.]$'

# check NAME: reads one message on stdin and reports what breaks the rule.
check() {
	local name=$1 subject blank body
	IFS= read -r subject || subject=
	IFS= read -r blank || blank=
	body=$(grep -v '^#' | grep -c '[^[:space:]]' || true)
	if ((${#subject} > 72)); then
		report "$name" "subject is ${#subject} characters (at most 72): $subject"
	fi
	if ! [[ $subject =~ $subject_re ]]; then
		report "$name" "subject is not 'pkg[, pkg]: imperative summary' (no final period): $subject"
	fi
	if [[ -n $blank ]]; then
		report "$name" "the second line must be blank"
	fi
	if ((body == 0)); then
		report "$name" "no body: say why, what was measured, what was rejected"
	fi
}

report() {
	printf 'check-commits: %s: %s\n' "$1" "$2" >&2
	failures=$((failures + 1))
}

if [[ ${1:-} == -m ]]; then
	check "message" <"$2"
else
	range=${1:-}
	limit=()
	if [[ -z $range ]]; then
		floor=$(sed -n '/^[0-9a-f]\{40\}$/p' scripts/commit-floor 2>/dev/null | head -1)
		if [[ -n $floor ]] && git cat-file -e "$floor^{commit}" 2>/dev/null; then
			range="$floor..HEAD"
		else
			range=HEAD
			limit=(--max-count=50)
		fi
	fi
	n=0
	while IFS= read -r sha; do
		check "$(git log -1 --format=%h "$sha")" < <(git log -1 --format=%B "$sha")
		n=$((n + 1))
	done < <(git rev-list "${limit[@]}" "$range")
	echo "check-commits: $n commit(s) in $range checked"
fi

if ((failures > 0)); then
	printf 'check-commits: %d violation(s) of the commit message rule (CONTRIBUTING.md)\n' "$failures" >&2
	exit 1
fi
