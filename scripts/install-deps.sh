#!/bin/sh
# Installs what berth's build and tests need on Debian 12, as root. Idempotent.
# busybox-static: the base image of test bundles; runc/crun: anchors the tests compare with;
# iproute2/procps: ip netns and ps for tests; debootstrap: `berth image bootstrap debian`;
# containernetworking-plugins/iptables: berthd's bridge networks (CNI plugins in /usr/lib/cni, BERTH-* chains).
set -e
need=""
for p in busybox-static runc crun procps iproute2 gcc libc6-dev debootstrap containernetworking-plugins iptables; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q $need
fi
if [ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  echo "install-deps: JDK 25 expected at /usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
