#!/bin/sh
# .ci/deps.sh: install the Debian packages rta needs to build, test and
# benchmark (`make deps`).  Quiet when nothing is missing; installs the
# missing ones with apt-get (through sudo unless root); on a system
# without apt-get, says what to install and exits 1.
#
# socat, curl and chromium are for the HTTP and dashboard tests, kcat and
# librdkafka-dev (its mock cluster) for the Kafka tests, systemd (its
# systemd-analyze) for the check of the example units.  Extra packages
# may be named as arguments (clang and libclang-rt-14-dev for `make fuzz`).
set -eu

pkgs="build-essential pkg-config libarchive-dev libjansson-dev libzstd-dev
libcsv-dev nettle-dev check mandoc bsdextrautils strace zstd xz-utils bzip2 gzip zip jq
time nodejs faketime socat curl chromium kcat librdkafka-dev systemd $*"

if ! command -v apt-get >/dev/null 2>&1 ||
    ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: this is not a Debian system (no apt-get); install the" \
	    "equivalents of these Debian packages:" >&2
	for p in $pkgs; do
		echo "  $p" >&2
	done
	exit 1
fi

missing=
for p in $pkgs; do
	if [ "$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null)" != \
	    installed ]; then
		missing="$missing $p"
	fi
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "deps: missing packages:$missing" >&2
	echo "deps: not root and no sudo; as root run:" >&2
	echo "  apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends $missing
