#!/usr/bin/env bash
# make lint: golangci-lint v2.15.0 with .golangci.yml. Uses the one on PATH or
# in $(go env GOPATH)/bin when it is that version, else installs it there
# (from the Go module proxy; a cold build takes a few minutes).
set -euo pipefail
want=2.15.0
bin="$(go env GOPATH)/bin/golangci-lint"
lint=""
for c in "$(command -v golangci-lint || true)" "$bin"; do
	if [[ -n "$c" && -x "$c" ]] && "$c" version 2>/dev/null | grep -q "version $want "; then
		lint="$c"
		break
	fi
done
if [[ -z "$lint" ]]; then
	echo "lint: installing golangci-lint v$want" >&2
	go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$want"
	lint="$bin"
fi
exec "$lint" run "$@"
