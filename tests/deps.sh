#!/bin/sh
# Installs the Debian packages that a make target needs, only those missing,
# so `sudo make demo` and `sudo make check` work on a fresh Debian machine.
# usage: tests/deps.sh build|demo|check|bench|fuzz
set -eu

build="gcc make pkg-config libbsd-dev libpcap-dev libseccomp-dev"
case "${1:-build}" in
build)	need="$build" ;;
demo)	need="$build iproute2" ;;
check)	need="$build iproute2 bats tcpdump python3 iputils-arping jq
	    libcap2-bin clang libclang-rt-14-dev valgrind mandoc
	    zsh fish bash-completion arpwatch" ;;
bench)	need="$build iproute2 tcpdump python3 iputils-arping netsniff-ng
	    hyperfine" ;;
fuzz)	need="$build clang libclang-rt-14-dev" ;;
*)	echo "deps.sh: unknown target '$1'" >&2; exit 2 ;;
esac

missing=""
for p in $need; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing Debian packages:$missing (run as root:" \
	    "sudo make ${1:-build})" >&2
	exit 2
fi
echo "deps.sh: installing$missing" >&2
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends $missing >/dev/null
