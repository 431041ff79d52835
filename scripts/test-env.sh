#!/usr/bin/env bash
# Ensure the tools the Go test suite needs are installed (Debian 12, root):
#   - Chromium at /usr/bin/chromium (browser tests, ZHILIAN_CHROMIUM)
#   - fonts-noto-cjk (so Chinese text renders in screenshots / PDFs)
#   - gcc + libc6-dev when a C compiler is missing (`go test -race` needs cgo)
# Quiet on success; on failure prints the apt log to stderr and returns non-zero.
# Can be run (`bash scripts/test-env.sh`) or sourced (`. scripts/test-env.sh`);
# when sourced it also exports ZHILIAN_CHROMIUM and never exits the caller.
#
# Env: ZHILIAN_CHROMIUM (default /usr/bin/chromium), ZHILIAN_SKIP_INSTALL=1 to
# only check (no apt-get), ZHILIAN_NEED_CGO=0 to skip the gcc check.

_zhilian_test_env() (
	set -euo pipefail

	chromium="${ZHILIAN_CHROMIUM:-/usr/bin/chromium}"
	missing=()

	have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

	if [[ ! -x "$chromium" ]]; then
		missing+=(chromium)
	fi
	if command -v dpkg-query >/dev/null 2>&1 && ! have_pkg fonts-noto-cjk; then
		missing+=(fonts-noto-cjk)
	fi
	if [[ "${ZHILIAN_NEED_CGO:-1}" != 0 ]] && ! command -v "${CC:-gcc}" >/dev/null 2>&1; then
		missing+=(gcc libc6-dev)
	fi

	((${#missing[@]})) || exit 0

	if [[ "${ZHILIAN_SKIP_INSTALL:-0}" == 1 ]]; then
		echo "test-env: missing ${missing[*]} (ZHILIAN_SKIP_INSTALL=1, not installing)" >&2
		exit 1
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "test-env: missing ${missing[*]} and apt-get is not available; install them by hand" >&2
		exit 1
	fi
	sudo=()
	if [[ "$(id -u)" != 0 ]]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo -n)
		else
			echo "test-env: missing ${missing[*]}; need root (or sudo) to apt-get install them" >&2
			exit 1
		fi
	fi

	echo "test-env: installing ${missing[*]} ..." >&2
	log="$(mktemp "${TMPDIR:-/tmp}/zhilian-test-env.XXXXXX.log")"
	apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600)
	if ! { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
		echo "test-env: apt-get failed; log follows ($log):" >&2
		tail -n 60 "$log" >&2
		exit 1
	fi
	rm -f "$log"

	if [[ ! -x "$chromium" ]]; then
		echo "test-env: chromium installed but $chromium is not there" >&2
		exit 1
	fi
)

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
	# sourced
	_zhilian_test_env || return $?
	export ZHILIAN_CHROMIUM="${ZHILIAN_CHROMIUM:-/usr/bin/chromium}"
	unset -f _zhilian_test_env
else
	_zhilian_test_env
fi
