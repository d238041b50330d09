# Shared by podman.sh and docker.sh: checks that print PASS/FAIL, a busybox rootfs tarball,
# and the summary. Sourced, not run. bash.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${BERTH_RUNTIME:=$repo/bin/berth-runtime}"
passed=0
failed=0
failures=()
verbose=${VERBOSE:-0}

say() { printf '%s\n' "$*"; }

# check NAME WANT_RC WANT_REGEX CMD...: runs CMD (60 s at most; a function must be exported
# with export -f), passes when it exits with WANT_RC ("any" for any status) and its output
# (stdout and stderr) matches the extended regex WANT_REGEX ("" for anything).
check() {
  local name=$1 want_rc=$2 want=$3
  shift 3
  local out rc
  out=$(timeout 60 bash -c '"$@"' bash "$@" 2>&1)
  rc=$?
  if { [ "$want_rc" = any ] || [ "$rc" = "$want_rc" ]; } && { [ -z "$want" ] || printf '%s' "$out" | grep -Eq -- "$want"; }; then
    passed=$((passed + 1))
    say "PASS $name"
    [ "$verbose" = 1 ] && printf '%s\n' "$out" | sed 's/^/     | /'
  else
    failed=$((failed + 1))
    failures+=("$name")
    say "FAIL $name (exit $rc, wanted $want_rc; output wanted /$want/):"
    printf '%s\n' "$out" | head -20 | sed 's/^/     | /'
  fi
  return 0
}

# pass NAME / fail NAME DETAIL: for checks computed by hand
pass() { passed=$((passed + 1)); say "PASS $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); say "FAIL $1: $2"; }

# tty CMD...: runs CMD with a pseudo-terminal as its stdin/stdout (util-linux script),
# feeding it this function's stdin.
tty_run() {
  local cmd=""
  for a in "$@"; do cmd="$cmd $(printf '%q' "$a")"; done
  script -qec "$cmd" /dev/null
}
export -f tty_run

# make_rootfs_tar FILE: a busybox root filesystem (the host's static busybox, as
# scripts/make-busybox-bundle.sh builds) as a tarball to import as an image.
make_rootfs_tar() {
  local tar=$1 root
  root=$(mktemp -d)
  [ -x /bin/busybox ] || { say "no /bin/busybox: apt-get install busybox-static"; return 1; }
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,tmp,root,var,run}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  mkdir -m 700 "$root/private"
  tar -C "$root" -cf "$tar" .
  rm -rf "$root"
}

# cgroup_file NAME_V1 NAME_V2: a shell snippet that reads a limit inside the container on
# either cgroup version.
mem_limit_cmd='cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
pids_limit_cmd='cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'

summary() {
  say ""
  say "$passed passed, $failed failed (runtime: $BERTH_RUNTIME)"
  if [ "$failed" -gt 0 ]; then
    say "failed: ${failures[*]}"
    return 1
  fi
  return 0
}

# umount_under DIR: unmounts every mount below DIR, deepest first.
umount_under() {
  local dir=$1
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null
  done
}

# cgroup_parents_before NAME: remembers whether the engine's parent cgroup NAME (libpod_parent,
# docker) already existed; remove_cgroup_parent NAME removes it (empty) when it did not, and
# the plain directories conmon makes on the cgroup tmpfs for controllers the host has not
# mounted (hugetlb, net_cls, ...).
declare -A cgroup_parent_existed
cgroup_parents_before() {
  cgroup_parent_existed[$1]=0
  ls -d /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/"$1" >/dev/null 2>&1 && cgroup_parent_existed[$1]=1
}
remove_cgroup_parent() {
  [ "${cgroup_parent_existed[$1]}" = 0 ] || return 0
  local d
  for d in /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/"$1"; do
    [ -d "$d" ] || continue
    local top=${d%/"$1"}
    if mountpoint -q "$top"; then
      find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    elif [ "$(ls "$top")" = "$1" ]; then
      rm -rf "$top"
    fi
  done
}
