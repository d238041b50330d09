#!/bin/sh
# logs.sh [ROUNDS]: json-file log throughput, berthd against dockerd (both private to this run),
# interleaved: 20 MiB of 'yes hello' through docker run, docker logs of it, docker logs --tail 5.
# As root, by hand. Needs a build (./mvnw -DskipTests package), python3, the docker CLI and dockerd.
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
[ "$(id -u)" = 0 ] || { echo "logs: run as root" >&2; exit 1; }
for c in python3 docker dockerd; do
  command -v $c >/dev/null || { echo "logs: needs $c" >&2; exit 1; }
done
rounds=5
case "$1" in [0-9]*) rounds=$1; shift ;; esac
python3 bench/logs.py --rounds "$rounds" --repo "$PWD" "$@"
