#!/bin/sh
# Installs the Debian packages newsgraph's tests and benchmarks need, only when some are missing.
set -eu
# wrk: the load generator of benchmarks/web.py
# postgresql: the second store; the tests start a throwaway cluster (tests/pgcluster.py)
# openjdk-17-jre-headless: Java for Apache Spark (`newsgraph batch`, tests/test_batch.py)
PACKAGES="sqlite3 chromium wrk postgresql openjdk-17-jre-headless"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "setup-debian: please install:$missing (needs root and apt-get)" >&2
  exit 1
fi
echo "setup-debian: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
