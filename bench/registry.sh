#!/bin/sh
# registry.sh [ROUNDS] [--only push-pull,load] [--shape random|text] [--pairs D:R,...] [--cross] [--clients N] [--passes N] [--docker-only]:
# issue 6's targets. Push and pull of a ~200 MiB five-layer image, berthd <-> `berth registry serve`
# against dockerd 20.10 <-> Debian's docker-registry 2.8.2, interleaved, MiB/s both ways; then
# each registry's throughput with 32 concurrent pulling clients (curl). Everything private to the
# run on 127.0.0.1. As root, by hand. Needs a build (./mvnw -DskipTests package), python3, curl,
# skopeo, docker-registry, the docker CLI and dockerd (scripts/install-deps.sh).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
[ "$(id -u)" = 0 ] || { echo "registry: run as root" >&2; exit 1; }
for c in python3 curl skopeo docker dockerd /usr/bin/docker-registry /bin/busybox; do
  command -v $c >/dev/null || { echo "registry: needs $c" >&2; exit 1; }
done
rounds=5
case "$1" in [0-9]*) rounds=$1; shift ;; esac
python3 bench/registry.py --rounds "$rounds" --repo "$PWD" "$@"
