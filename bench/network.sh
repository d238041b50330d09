#!/bin/sh
# network.sh [ROUNDS] [--seconds S] [--iperf-rounds N] [--only run,c2c,name,published] [--daemons berthd,dockerd]:
# issue 5's networking targets, berthd against dockerd (docker.io 20.10 with its bridge, iptables and
# docker-proxy), both private to this run on bridges and subnets of their own: docker run --rm true on
# the default bridge, container-to-container TCP throughput on a user network (iperf3), time to first
# connection by name, TCP throughput host -> published port. Everything it makes is removed on exit.
# As root, by hand. Needs a build (./mvnw -DskipTests package), python3, the docker CLI, dockerd,
# iproute2, iptables and a static /bin/busybox; installs iperf3 with apt when it is missing.
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
[ "$(id -u)" = 0 ] || { echo "network: run as root" >&2; exit 1; }
for c in python3 docker dockerd ip iptables tar ldd; do
  command -v $c >/dev/null || { echo "network: needs $c" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "network: needs a static /bin/busybox (Debian busybox-static)" >&2; exit 1; }
if ! command -v iperf3 >/dev/null; then
  echo "network: installing iperf3 (apt)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q iperf3 >/dev/null
fi
rounds=20
case "$1" in [0-9]*) rounds=$1; shift ;; esac
exec python3 bench/network.py --rounds "$rounds" --repo "$PWD" "$@"
