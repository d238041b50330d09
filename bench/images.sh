#!/bin/sh
# images.sh [ROUNDS] [--in-process] [--shape files|data|both]: `docker load` and `docker save` of ~120 MiB images, berthd
# vs dockerd (both private to this run), interleaved; prints medians and the ratio to dockerd.
# --in-process (or no bin/berthd yet) times berth's ImageTransfer in one JVM instead of berthd.
# As root, by hand. Needs a build (./mvnw -DskipTests package), python3, docker CLI and dockerd.
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
[ "$(id -u)" = 0 ] || { echo "images: run as root" >&2; exit 1; }
for c in python3 docker dockerd; do
  command -v $c >/dev/null || { echo "images: needs $c" >&2; exit 1; }
done
[ -s berth-image/target/classpath.txt ] || { echo "images: not built: run ./mvnw -DskipTests package (with JDK 25) first" >&2; exit 1; }
rounds=10
case "$1" in [0-9]*) rounds=$1; shift ;; esac
python3 bench/images.py --rounds "$rounds" --repo "$PWD" "$@"
