#!/bin/sh
# daemon-api.sh [ROUNDS]: `docker version` and `docker images` against berthd and dockerd
# (both private to this run), interleaved, then both daemons' idle RSS. As root, by hand.
# 300 rounds by default: the two differ by less than 0.5 ms in ~17 ms, and 30 rounds swing
# the ratio by +-4% from run to run.
# Needs a build (./mvnw -DskipTests package), python3, the docker CLI and dockerd (docker.io).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
[ "$(id -u)" = 0 ] || { echo "daemon-api: run as root" >&2; exit 1; }
for c in python3 docker dockerd; do
  command -v $c >/dev/null || { echo "daemon-api: needs $c" >&2; exit 1; }
done
python3 bench/daemon_api.py --rounds "${1:-300}" --repo "$PWD"
