#!/bin/sh
# containers.sh [ROUNDS] [--many N] [--no-podman]: issue 4's targets, berthd against dockerd and
# podman (each private to this run), interleaved: docker run --rm true, create+start+wait+rm at
# the API (kept connection and curl), N x run -d, memory per container, docker ps with N running.
# As root, by hand. Needs a build (./mvnw -DskipTests package), python3, curl, the docker CLI,
# dockerd (docker.io) and podman (both from Debian).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
[ "$(id -u)" = 0 ] || { echo "containers: run as root" >&2; exit 1; }
for c in python3 curl docker dockerd; do
  command -v $c >/dev/null || { echo "containers: needs $c" >&2; exit 1; }
done
rounds=20
case "$1" in [0-9]*) rounds=$1; shift ;; esac
python3 bench/containers.py --rounds "$rounds" --repo "$PWD" "$@"
