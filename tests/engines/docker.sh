#!/bin/bash
# tests/engines/docker.sh: Debian's dockerd (docker.io 20.10, containerd 1.6 and its
# containerd-shim-runc-v2) drives berth-runtime, registered with --add-runtime berth=... and
# used with `docker run --runtime berth`. Prints PASS/FAIL per check; non-zero exit on failure.
#
# Run as root after the build (./mvnw -DskipTests package). By hand, not in CI.
#   tests/engines/docker.sh                               # berth-runtime
#   BERTH_RUNTIME=/usr/sbin/runc tests/engines/docker.sh  # the same checks against runc
#   VERBOSE=1 tests/engines/docker.sh                     # show every check's output
#
# It starts its own dockerd (and the containerd dockerd starts) with private data, exec and
# socket paths, no iptables and no bridge, and removes all of it at the end. A dockerd already
# running on the host is not touched.
set -u
source "$(dirname "$0")/lib.sh"

command -v dockerd >/dev/null || { say "dockerd is not installed: apt-get install -y docker.io"; exit 2; }
command -v docker >/dev/null || { say "no docker CLI: apt-get install -y docker.io"; exit 2; }
command -v script >/dev/null || { say "script is not installed: apt-get install -y bsdutils"; exit 2; }
[ "$(id -u)" = 0 ] || { say "run as root"; exit 2; }

work=$(mktemp -d /tmp/berth-docker.XXXXXX)
data=/var/lib/berth-docker-test
exec_root=/run/berth-docker-test
sock=/run/berth-docker-test.sock
image=berth-engines-bb:latest
export DOCKER_HOST=unix://$sock
dockerd_pid=""

cleanup() {
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    ids=$(docker ps -aq 2>/dev/null)
    [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
    kill "$dockerd_pid"
    for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$dockerd_pid" 2>/dev/null && kill -9 "$dockerd_pid"
  fi
  umount_under "$data"
  umount_under "$exec_root"
  rm -rf "$data" "$exec_root" "$sock" "$work"
  remove_cgroup_parent docker
  # dockerd makes /run/docker/plugins whatever its --exec-root
  [ "$had_run_docker" = 1 ] || rm -rf /run/docker
}
cgroup_parents_before docker
had_run_docker=0; [ -e /run/docker ] && had_run_docker=1
trap cleanup EXIT

mkdir -p "$data" "$exec_root"
dockerd --data-root "$data" --exec-root "$exec_root" -H "unix://$sock" --pidfile "$exec_root/dockerd.pid" \
  --add-runtime "berth=$BERTH_RUNTIME" --iptables=false --ip6tables=false --bridge=none \
  > "$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
docker version >/dev/null 2>&1 || { say "dockerd did not start:"; tail -20 "$work/dockerd.log"; exit 2; }
say "dockerd $(docker version -f '{{.Server.Version}}'), containerd $(containerd --version | awk '{print $3}'), runtime berth=$BERTH_RUNTIME"
make_rootfs_tar "$work/rootfs.tar" || exit 2
docker import --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$image" >/dev/null || { say "docker import failed"; exit 2; }

drun() { docker run --rm --runtime berth --network none "$@"; }
dk() { docker "$@"; }
export -f drun dk
export image

# ---- run --rm ----
check "run echo" 0 '^hi$' drun "$image" echo hi
check "run -e" 0 '^bar$' drun -e FOO=bar "$image" sh -c 'echo $FOO'
check "run -u 65534" 0 '^65534 65534$' drun -u 65534 "$image" sh -c 'echo $(id -u) $(id -g)'
check "run -u 1:2 --group-add 10" 0 '^uid=1[ (].*gid=2[ (].*groups=2(\([^)]*\))?,10' drun -u 1:2 --group-add 10 "$image" id
check "run -w /tmp" 0 '^/tmp$' drun -w /tmp "$image" pwd
check "run -u 65534 -w /private (0700, root's): entered before the user switch" 0 '^/private$' drun -u 65534 -w /private "$image" pwd
check "run --memory 64m" 0 '^67108864$' drun --memory 64m "$image" sh -c "$mem_limit_cmd"
check "run --pids-limit 20" 0 '^20$' drun --pids-limit 20 "$image" sh -c "$pids_limit_cmd"
check "run --pids-limit 20 enforced" any 'fork|Resource temporarily unavailable' \
  drun --pids-limit 20 "$image" sh -c 'for i in $(seq 40); do sleep 5 & done 2>&1; wait'
check "run --cpus 0.5 --cpu-shares 512" 0 '^50000 512$' drun --cpus 0.5 --cpu-shares 512 "$image" \
  sh -c 'echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.shares)'
check "run --cap-drop ALL" 0 'CapEff:[[:space:]]+0000000000000000' drun --cap-drop ALL "$image" grep CapEff /proc/self/status
check "run --cap-drop CHOWN" 1 'Operation not permitted' drun --cap-drop CHOWN "$image" sh -c 'chown 1 /tmp'
check "run --read-only" 0 'Read-only file system' drun --read-only "$image" sh -c 'touch /x; true'
check "run -v DIR:/v:ro" 1 'Read-only file system' bash -c "mkdir -p $work/vol && echo volfile > $work/vol/f && \
  docker run --rm --runtime berth --network none -v $work/vol:/v:ro $image sh -c 'cat /v/f && touch /v/x'"
check "run --tmpfs /scratch:size=1m" 0 '1.0M .*/scratch' drun --tmpfs /scratch:size=1m "$image" df -h /scratch
check "run --sysctl --hostname --ulimit" 0 '^1 myhost 100 200$' drun --sysctl net.ipv4.ip_forward=1 --hostname myhost --ulimit nofile=100:200 "$image" \
  sh -c 'echo $(cat /proc/sys/net/ipv4/ip_forward) $(hostname) $(ulimit -n) $(ulimit -Hn)'
check "run --security-opt no-new-privileges" 0 'NoNewPrivs:[[:space:]]+1' drun --security-opt no-new-privileges "$image" grep NoNewPrivs /proc/self/status
check "run default seccomp profile denies unshare" any 'Operation not permitted' drun "$image" unshare -U true
check "run --cgroupns private" 0 '^max$' drun --cgroupns private "$image" sh -c "$pids_limit_cmd"
check "run --device /dev/null:/dev/xnull" 0 '^c.* 1, +3 ' drun --device /dev/null:/dev/xnull "$image" ls -l /dev/xnull
check "run sees own cgroup only" 0 '^1$' drun "$image" sh -c 'cat /sys/fs/cgroup/pids/cgroup.procs 2>/dev/null || cat /sys/fs/cgroup/cgroup.procs'
check "run --init (docker-init as pid 1)" 0 'docker-init' drun --init "$image" ps
check "run exit code 3" 3 '' drun "$image" sh -c 'exit 3'
check "run missing program: 127" 127 'not found' drun "$image" no-such-program
check "run not executable: 126" 126 'permission denied' drun "$image" /etc/passwd
check "run missing path: 127" 127 'no such file or directory' drun "$image" /no/such/program
check "run -i stdin" 0 '^piped$' sh -c "echo piped | docker run -i --rm --runtime berth --network none $image cat"
# the shim watches for OOM only once `start` has returned: the sleep keeps the kill after that
docker run --runtime berth --network none --memory 16m --memory-swap 16m --name berth-oom "$image" \
  sh -c 'sleep 2; x=a; while :; do x=$x$x; done' >/dev/null 2>&1
check "run --memory 16m: OOM kill" 0 '^137 true$' dk inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}}' berth-oom
docker rm -f berth-oom >/dev/null 2>&1
if grep -q '^CapBnd:[[:space:]]*000001ffffffffff' /proc/self/status; then
  check "run --privileged" 0 'CapEff:[[:space:]]+000001ffffffffff' drun --privileged "$image" grep CapEff /proc/self/status
else
  say "SKIP run --privileged: this host's bounding set lacks capabilities, so no runtime can grant them all (runc fails too)"
fi

# ---- terminal ----
check "run -it: a tty" 0 '/dev/pts/0' tty_run docker run -it --rm --runtime berth --network none "$image" tty </dev/null
check "run -it: interactive shell, exit 5" 5 'hello-from-stdin' sh -c "printf 'echo hello-from-stdin\nexit 5\n' | \
  script -qec 'docker run -it --rm --runtime berth --network none $image sh' /dev/null"

# ---- detached: exec, pause, update, top, stats, kill, stop, rm ----
id=$(docker run -d --runtime berth --network none "$image" sh -c 'echo started; trap "exit 7" TERM; while :; do sleep 0.2; done' 2>&1)
export id
status() { docker inspect -f '{{.State.Status}}' "$id"; }
export -f status
if [ "$(status 2>/dev/null)" = running ]; then pass "run -d: running"; else fail "run -d: running" "$id"; fi
check "logs" 0 '^started$' dk logs "$id"
check "exec" 0 '^exec-hi$' dk exec "$id" echo exec-hi
check "exec -e -u -w" 0 '^1 65534 /tmp$' dk exec -e X=1 -u 65534 -w /tmp "$id" sh -c 'echo $X $(id -u) $(pwd)'
check "exec exit code 4" 4 '' dk exec "$id" sh -c 'exit 4'
check "exec missing program: 126 (docker's code for it)" 126 'not found' dk exec "$id" no-such-program
check "exec not executable: 126" 126 'permission denied' dk exec "$id" /etc/passwd
check "exec -it" 0 '/dev/pts/' tty_run docker exec -it "$id" tty </dev/null
check "exec -d" 0 '^bg$' sh -c "docker exec -d $id sh -c 'echo bg > /tmp/bg' && sleep 1 && docker exec $id cat /tmp/bg"
check "pause" 0 '^paused$' bash -c 'docker pause $id >/dev/null && status'
check "unpause" 0 '^running$' bash -c 'docker unpause $id >/dev/null && status'
check "update --memory 128m --memory-swap 256m" 0 '^134217728$' sh -c "docker update --memory 128m --memory-swap 256m $id >/dev/null && \
  docker exec $id sh -c '$mem_limit_cmd'"
check "update --pids-limit 50" 0 '^50$' sh -c "docker update --pids-limit 50 $id >/dev/null && docker exec $id sh -c '$pids_limit_cmd'"
check "top (runtime ps)" 0 'sh -c echo started' dk top "$id"
check "stats --no-stream" 0 "${id:0:12} .*[0-9.]+[KMG]iB / " dk stats --no-stream "$id"
check "kill -s USR1 (ignored by pid 1)" 0 '^running$' bash -c 'docker kill -s USR1 $id >/dev/null; sleep 0.5; status'
check "stop: SIGTERM handler runs" 0 '^exited 7$' sh -c "docker stop $id >/dev/null && docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $id"
check "start again" 0 '^running$' bash -c 'docker start $id >/dev/null && status'
check "restart" 0 '^running$' bash -c 'docker restart -t 5 $id >/dev/null && status'
check "kill" 0 '^exited 137$' sh -c "docker kill $id >/dev/null && sleep 0.5 && docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $id"
check "rm" 0 '' dk rm "$id"
check "rm: runtime state gone" 1 '' "$BERTH_RUNTIME" --root "$exec_root/runtime-runc/moby" state "$id"

id=$(docker run -d --runtime berth --network none "$image" sleep 1000 2>&1)
check "stop -t 1: SIGKILL after the timeout" 0 '^exited 137$' sh -c "docker stop -t 1 $id >/dev/null && \
  docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $id"
check "wait" 0 '^137$' dk wait "$id"
docker rm -f "$id" >/dev/null 2>&1

left=$("$BERTH_RUNTIME" --root "$exec_root/runtime-runc/moby" list -q 2>&1)
if [ -z "$left" ]; then pass "no containers left in the runtime's root"; else fail "no containers left in the runtime's root" "$left"; fi

summary
