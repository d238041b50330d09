#!/bin/sh
# runtime-run.sh [ROUNDS] [--only spawn,berth,berth-noaot,runc,crun]: `run` of a busybox bundle
# whose process is /bin/true, interleaved under berth-runtime, runc and crun, each run with a
# fresh id; prints medians, min–max, the ratio to runc and peak RSS. As root, by hand (not in
# the test suite). Needs python3 and a build: ./mvnw -DskipTests package (this builds nothing).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
rounds=40
case "$1" in [0-9]*) rounds=$1; shift ;; esac
[ "$(id -u)" = 0 ] || { echo "runtime-run: run as root" >&2; exit 1; }
[ -s berth-runtime/target/classpath.txt ] && [ -x berth-runtime/target/berth-init ] \
  || { echo "runtime-run: not built: run ./mvnw -DskipTests package (with JDK 25) first" >&2; exit 1; }
command -v python3 >/dev/null || { echo "runtime-run: needs python3" >&2; exit 1; }
bundle=$(mktemp -d /tmp/berth-bench.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
scripts/make-busybox-bundle.sh "$bundle" /bin/true
# crun 1.8 accepts only ociVersion 1.0.x; runc and berth-runtime take it too
sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2"/' "$bundle/config.json"
python3 bench/runtime_run.py --rounds "$rounds" --repo "$PWD" --bundle "$bundle" "$@"
