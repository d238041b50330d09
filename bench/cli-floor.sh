#!/bin/sh
# cli-floor.sh [RUNS] [--docker PATH] [--no-strace]: the docker CLI's own floor. A stub Docker Engine
# API daemon (bench/cli-floor.py, Python stdlib) answers every request at once on a private unix
# socket; `docker run --rm --network none busybox true`, `docker run --rm busybox true`, `docker
# version` and `docker images` are timed against it in alternating rounds, with where each call's
# time goes (the stub's log on the same clock) and one run under strace. No daemon, no container,
# no root needed; by hand, never part of the test suite. Needs python3 and the docker CLI 28.x
# (/usr/local/bin/docker); strace for the last part (left out when missing).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
command -v python3 >/dev/null || { echo "cli-floor: needs python3" >&2; exit 1; }
runs=50
case "$1" in [0-9]*) runs=$1; shift ;; esac
exec python3 bench/cli-floor.py --runs "$runs" "$@"
