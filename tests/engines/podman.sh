#!/bin/bash
# tests/engines/podman.sh: Debian's podman (4.3, conmon) drives berth-runtime through
# `podman --runtime bin/berth-runtime`: run, -it, -e/-u/-w, limits, --cap-drop, --read-only,
# exec, pause, update, stop, rm. Prints PASS/FAIL per check and exits non-zero on a failure.
#
# Run as root after the build (./mvnw -DskipTests package). By hand, not in CI.
#   tests/engines/podman.sh                          # berth-runtime
#   BERTH_RUNTIME=/usr/sbin/runc tests/engines/podman.sh   # the same checks against runc
#   VERBOSE=1 tests/engines/podman.sh                # show every check's output
#
# Everything podman makes lives in a private storage root, run root and containers.conf, all
# removed at the end; the host's podman setup is not touched.
set -u
source "$(dirname "$0")/lib.sh"

command -v podman >/dev/null || { say "podman is not installed: apt-get install -y podman"; exit 2; }
command -v script >/dev/null || { say "script is not installed: apt-get install -y bsdutils"; exit 2; }
[ "$(id -u)" = 0 ] || { say "run as root"; exit 2; }

work=$(mktemp -d /tmp/berth-podman.XXXXXX)
storage=/var/lib/berth-podman-test
runroot=/run/berth-podman-test
image=localhost/berth-engines-bb:latest
export CONTAINERS_CONF=$work/containers.conf

# Hard limits podman puts in the config must not exceed this process's: without
# CAP_SYS_RESOURCE (as on some VMs) raising them fails in every runtime, runc included.
# podman lowers its own RLIMIT_NPROC to 32768 when it cannot raise it.
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
nproc=$(ulimit -Hu); { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
cat > "$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$runroot/libpod-tmp"
EOF

pm() { podman --root "$storage" --runroot "$runroot" --runtime "$BERTH_RUNTIME" "$@"; }
prun() { pm run --rm --network none "$@"; }
export -f pm prun
export storage runroot BERTH_RUNTIME

cleanup() {
  pm rm -af -t 0 >/dev/null 2>&1
  pm rmi -af >/dev/null 2>&1
  umount_under "$storage"
  umount_under "$runroot"
  rm -rf "$storage" "$runroot" "$work"
  remove_cgroup_parent libpod_parent
  # podman's blob-info cache ignores --root
  [ "$had_containers_dir" = 1 ] || rm -rf /var/lib/containers
}
cgroup_parents_before libpod_parent
had_containers_dir=0; [ -e /var/lib/containers ] && had_containers_dir=1
trap cleanup EXIT

say "podman $(podman --version | awk '{print $3}'), runtime $BERTH_RUNTIME"
make_rootfs_tar "$work/rootfs.tar" || exit 2
pm import --change CMD=/bin/sh "$work/rootfs.tar" "$image" >"$work/import.log" 2>&1 || { say "podman import failed"; exit 2; }

# ---- run --rm ----
check "run echo" 0 '^hi$' prun "$image" echo hi
check "run -e" 0 '^bar$' prun -e FOO=bar "$image" sh -c 'echo $FOO'
check "run -u 65534" 0 '^65534 65534$' prun -u 65534 "$image" sh -c 'echo $(id -u) $(id -g)'
check "run -u 1:2 --group-add 10" 0 '^uid=1[ (].*gid=2[ (].*groups=2(\([^)]*\))?,10' prun -u 1:2 --group-add 10 "$image" id
check "run -w /tmp" 0 '^/tmp$' prun -w /tmp "$image" pwd
check "run -u 65534 -w /private (0700, root's): entered before the user switch" 0 '^/private$' prun -u 65534 -w /private "$image" pwd
check "run --memory 64m" 0 '^67108864$' prun --memory 64m "$image" sh -c "$mem_limit_cmd"
check "run --pids-limit 20" 0 '^20$' prun --pids-limit 20 "$image" sh -c "$pids_limit_cmd"
check "run --pids-limit 20 enforced" any 'fork|Resource temporarily unavailable|can.t fork' \
  prun --pids-limit 20 "$image" sh -c 'for i in $(seq 40); do sleep 5 & done 2>&1; wait'
check "run --cap-drop ALL" 0 'CapEff:[[:space:]]+0000000000000000' prun --cap-drop ALL "$image" grep CapEff /proc/self/status
check "run --cap-drop CHOWN" 1 'Operation not permitted' prun --cap-drop CHOWN "$image" sh -c 'chown 1 /tmp'
check "run --read-only: / read-only" 0 'Read-only file system' prun --read-only "$image" sh -c 'touch /x; true'
check "run --read-only: /tmp writable" 0 '^ok$' prun --read-only "$image" sh -c 'touch /tmp/x && echo ok'
check "run exit code 3" 3 '' prun "$image" sh -c 'exit 3'
check "run missing program: 127" 127 'not found' prun "$image" no-such-program
check "run not executable: 126" 126 'ermission denied' prun "$image" /etc/passwd
check "run sees own cgroup only" 0 '^1$' prun "$image" sh -c 'cat /sys/fs/cgroup/pids/cgroup.procs 2>/dev/null || cat /sys/fs/cgroup/cgroup.procs'
check "run hostname is the short id" 0 '^[0-9a-f]{12}$' prun "$image" hostname
check "run --uidmap 0:100000:65536 (user namespace)" 0 '^0 +0 +100000 +65536$' prun --uidmap 0:100000:65536 --gidmap 0:100000:65536 "$image" \
  sh -c 'echo $(id -u) $(cat /proc/self/uid_map)'
check "run -v DIR:/v:ro --tmpfs /scratch" 1 'Read-only file system' bash -c "mkdir -p $work/vol && echo volfile > $work/vol/f && \
  prun -v $work/vol:/v:ro --tmpfs /scratch $image sh -c 'cat /v/f && touch /scratch/x && touch /v/x'"
check "run --cap-add SYS_ADMIN --security-opt seccomp=unconfined" 0 'Seccomp:[[:space:]]+0' prun --cap-add SYS_ADMIN --security-opt seccomp=unconfined "$image" grep Seccomp: /proc/self/status
check "run default seccomp profile loaded" 0 'Seccomp:[[:space:]]+2' prun "$image" grep Seccomp: /proc/self/status
check "run --init" 0 'podman-init' prun --init "$image" ps
check "run -i stdin" 0 '^piped$' sh -c "echo piped | podman --root $storage --runroot $runroot --runtime $BERTH_RUNTIME run -i --rm --network none $image cat"

# ---- terminal ----
check "run -it: a tty" 0 '/dev/pts/0' tty_run podman --root "$storage" --runroot "$runroot" --runtime "$BERTH_RUNTIME" \
  run -it --rm --network none "$image" sh -c 'tty' </dev/null
check "run -it: interactive shell, exit 5" 5 'hello-from-stdin' sh -c "printf 'echo hello-from-stdin\nexit 5\n' | \
  script -qec 'podman --root $storage --runroot $runroot --runtime $BERTH_RUNTIME run -it --rm --network none $image sh' /dev/null"

# ---- detached: exec, pause, update, top, stop, rm ----
id=$(pm run -d --network none "$image" sh -c 'trap "exit 7" TERM; while :; do sleep 0.2; done' 2>&1)
if [ "$(pm inspect -f '{{.State.Status}}' "$id" 2>/dev/null)" = running ]; then pass "run -d: running"; else fail "run -d: running" "$id"; fi
check "exec" 0 '^exec-hi$' pm exec "$id" echo exec-hi
check "exec -e -u -w" 0 '^1 65534 /tmp$' pm exec -e X=1 -u 65534 -w /tmp "$id" sh -c 'echo $X $(id -u) $(pwd)'
check "exec exit code 4" 4 '' pm exec "$id" sh -c 'exit 4'
check "exec missing program: 127" 127 'not found' pm exec "$id" no-such-program
check "exec -it" 0 '/dev/pts/' tty_run podman --root "$storage" --runroot "$runroot" exec -it "$id" sh -c 'tty' </dev/null
check "exec sees the init" 0 'sh -c trap' pm exec "$id" ps
uid=$(pm run -d --network none --uidmap 0:100000:65536 --gidmap 0:100000:65536 "$image" sleep 1000 2>&1)
check "exec into a user namespace" 0 '^0 +0 +100000 +65536$' pm exec "$uid" sh -c 'echo $(id -u) $(cat /proc/self/uid_map)'
pm rm -f -t 0 "$uid" >/dev/null 2>&1
check "pause" 0 '^paused$' sh -c "podman --root $storage --runroot $runroot pause $id >/dev/null && podman --root $storage --runroot $runroot inspect -f '{{.State.Status}}' $id"
check "unpause" 0 '^running$' sh -c "podman --root $storage --runroot $runroot unpause $id >/dev/null && podman --root $storage --runroot $runroot inspect -f '{{.State.Status}}' $id"
check "update --memory 128m" 0 '^134217728$' sh -c "podman --root $storage --runroot $runroot update --memory 128m $id >/dev/null && \
  podman --root $storage --runroot $runroot exec $id sh -c '$mem_limit_cmd'"
check "top" 0 'sh -c trap' pm top "$id"
check "kill -s USR1 (trapped by nobody: ignored by pid 1)" 0 '^running$' sh -c "podman --root $storage --runroot $runroot kill -s USR1 $id >/dev/null; sleep 0.5; \
  podman --root $storage --runroot $runroot inspect -f '{{.State.Status}}' $id"
check "stop: SIGTERM handler runs" 0 '^exited 7$' sh -c "podman --root $storage --runroot $runroot stop $id >/dev/null && \
  podman --root $storage --runroot $runroot inspect -f '{{.State.Status}} {{.State.ExitCode}}' $id"
check "start again" 0 '^running$' sh -c "podman --root $storage --runroot $runroot start $id >/dev/null && \
  podman --root $storage --runroot $runroot inspect -f '{{.State.Status}}' $id"
check "rm -f" 0 '' pm rm -f -t 0 "$id"
check "rm: runtime state gone" 1 '' "$BERTH_RUNTIME" state "$id"
left=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "libpod-$id*" 2>/dev/null | head -3)
if [ -z "$left" ]; then pass "rm: no cgroup left"; else fail "rm: no cgroup left" "$left"; fi

id=$(pm run -d --network none "$image" sleep 1000 2>&1)
check "stop -t 1: SIGKILL after the timeout" 0 '^exited 137$' sh -c "podman --root $storage --runroot $runroot stop -t 1 $id >/dev/null && \
  podman --root $storage --runroot $runroot inspect -f '{{.State.Status}} {{.State.ExitCode}}' $id"
pm rm -f "$id" >/dev/null 2>&1

summary
