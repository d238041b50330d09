#!/bin/sh
# daemon-api.sh [ROUNDS]: `docker version` and `docker images` against berthd and dockerd
# (both private to this run), interleaved, then both daemons' idle RSS. As root, by hand.
# 1000 rounds by default: the two differ by ~0.2 ms in ~16 ms; 30 rounds swing the ratio of
# the medians by +-4% from run to run, 300 rounds by +-1.5% (session 14: 0.987x, 0.995x,
# 0.998x and 1.017x while every run's per-round difference favoured berthd), 1000 by under 1%.
# The per-round difference (printed after the medians) is the steadier figure.
# Needs a build (./mvnw -DskipTests package), python3, the docker CLI and dockerd (docker.io).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
[ "$(id -u)" = 0 ] || { echo "daemon-api: run as root" >&2; exit 1; }
for c in python3 docker dockerd; do
  command -v $c >/dev/null || { echo "daemon-api: needs $c" >&2; exit 1; }
done
python3 bench/daemon_api.py --rounds "${1:-1000}" --repo "$PWD"
