#!/bin/sh
# install-deps.sh — installs, with apt-get, only the Debian packages dynastream needs that are
# missing. Idempotent: a second run installs nothing and prints nothing but a summary line.
# Used by `make deps` (and so by `make run` and `make test`). Needs root or sudo for apt-get.
set -eu

PACKAGES="gcc make pkg-config libsqlite3-dev libmicrohttpd-dev libjansson-dev libssl-dev zlib1g-dev \
awscli python3-boto3 python3-pytest curl"
if [ "${1:-}" = "--bench" ]; then
    # Benchmark tools (bench/run.sh). java, node and npm are checked as commands, not packages:
    # they may come from elsewhere (a JDK outside dpkg, NodeSource's nodejs that bundles npm).
    # DynamoDB Local needs Java 17 or later; Debian's default JRE is 17 (bookworm) or 21 (trixie).
    PACKAGES="$PACKAGES wrk"
    java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
    [ "${java_major:-0}" -ge 17 ] 2>/dev/null || PACKAGES="$PACKAGES default-jre-headless"
    command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs"
    command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
fi

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "deps: all present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
