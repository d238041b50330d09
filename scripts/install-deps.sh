#!/bin/sh
# Installs what berth's build and tests need on Debian 12, as root. Idempotent.
# busybox-static: the base image of test bundles; runc/crun: anchors the tests compare with;
# iproute2/procps: ip netns and ps for tests; debootstrap: `berth image bootstrap debian`;
# containernetworking-plugins/iptables: berthd's bridge networks (CNI plugins in /usr/lib/cni, BERTH-* chains);
# libdeflate0: fast gzip for pushed layers (through FFM; zlib without it);
# skopeo/docker-registry: peers of berth's registry and registry client (started by tests on 127.0.0.1 only).
set -e
need=""
for p in busybox-static runc crun procps iproute2 gcc libc6-dev debootstrap containernetworking-plugins iptables libdeflate0 skopeo docker-registry; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q $need
fi
# the package starts a registry on :5000 where an init system runs; tests start their own
if [ -x /usr/sbin/service ] && [ -f /etc/init.d/docker-registry ]; then
  service docker-registry stop >/dev/null 2>&1 || true
fi
if [ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  echo "install-deps: JDK 25 expected at /usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
