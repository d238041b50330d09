#!/bin/sh
# The main job, from a fresh Debian 12 machine as root: install what is needed, build berth,
# start berthd (on a socket and data root of its own), make a busybox image in it from the
# host's busybox-static, list it with berth (and with the docker CLI when there is one), then
# run a container from that image through berthd; it prints its hostname and pid (1).
set -e
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -q -DskipTests package
scripts/build-aot.sh >/dev/null 2>&1 || echo "demo: AOT cache not built (start-up will be slower)" >&2
work=$(mktemp -d /tmp/berth-demo.XXXXXX)
echo "{}" >"$work/daemon.json" # keeps the host's /etc/berth/daemon.json out; a named file must exist
sock="unix://$work/berth.sock"
bin/berthd -H "$sock" --data-root "$work/data" --exec-root "$work/exec" \
  --pidfile "$work/berthd.pid" --config-file "$work/daemon.json" >"$work/berthd.log" 2>&1 &
berthd=$!
cleanup() {
  kill -TERM "$berthd" 2>/dev/null && wait "$berthd" 2>/dev/null
  umount -R "$work/data" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
i=0
until bin/berth -H "$sock" version >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/berthd.log" >&2; exit 1; }
  sleep 0.2
done
bin/berth -H "$sock" image bootstrap busybox
bin/berth -H "$sock" images
if command -v docker >/dev/null; then docker -H "$sock" image inspect --format 'docker sees {{.RepoTags}} {{.Config.Cmd}}' busybox; fi
# a container from that image, run by berthd itself (in-process, no shim): it prints its
# hostname, its pid (1) and its address on berthd's default bridge (berth0, kept after berthd
# stops, as dockerd keeps docker0); --rm removes it when it exits
bin/berth -H "$sock" run --rm --hostname berth-demo busybox sh -c \
  'echo hostname: $(hostname); echo pid: $$; echo address: $(ip -4 -o addr show eth0 | awk "{print \$4}")'
if command -v docker >/dev/null; then
  docker -H "$sock" run --rm --name berth-demo-docker busybox echo "the docker CLI runs containers on berthd too"
fi
