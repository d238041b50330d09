#!/usr/bin/env python3
"""The docker CLI against berthd and against dockerd, interleaved: `docker version` and
`docker images` wall time per call (medians, their ratio, and the per-round difference), then
each daemon's idle resident memory.

Both daemons are private to this run (own data root, exec root and socket under a temp dir),
so the host's own dockerd, if any, is never touched. dockerd 20.10 from Debian starts its own
containerd; its memory is counted with dockerd's, as the issue's 108 MiB figure does.
"""
import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time

from private_daemons import start_berthd, start_dockerd, stop_all, wait_for_socket


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def tree_rss_mib(pid):
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += rss_kib(p)
        except OSError:
            continue
        todo.extend(children(p))
    return total / 1024


def time_call(argv):
    t0 = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = (time.perf_counter() - t0) * 1000
    if r.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {r.stderr.decode().strip()}")
    return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--repo", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="berth-bench-daemon.")
    procs = []
    try:
        dockerd, dsock = start_dockerd(tmp)
        procs.append(dockerd)
        berthd, bsock = start_berthd(args.repo, tmp)
        procs.append(berthd)
        wait_for_socket(dsock, dockerd)
        wait_for_socket(bsock, berthd)
        # the same images in both: bootstrap busybox in berthd, save it, load it into dockerd
        subprocess.run([f"{args.repo}/bin/berth", "-H", "unix://" + bsock, "image", "bootstrap", "busybox"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(f"docker -H unix://{bsock} save busybox:latest | docker -H unix://{dsock} load",
                       shell=True, check=True, stdout=subprocess.DEVNULL)
        for tag in ("one", "two", "three"):
            for s in (bsock, dsock):
                subprocess.run(["docker", "-H", "unix://" + s, "tag", "busybox:latest", f"busybox:{tag}"], check=True)
        daemons = {"berthd": bsock, "dockerd": dsock}
        for verb in (["version"], ["images"]):
            samples = {name: [] for name in daemons}
            for name, sock in daemons.items():  # warm-up
                time_call(["docker", "-H", "unix://" + sock] + verb)
            for r in range(args.rounds):
                # alternate who goes first: the second call of a round runs on warmer caches
                order = list(daemons.items()) if r % 2 == 0 else list(daemons.items())[::-1]
                for name, sock in order:
                    samples[name].append(time_call(["docker", "-H", "unix://" + sock] + verb))
            base = statistics.median(samples["dockerd"])
            for name, xs in samples.items():
                med = statistics.median(xs)
                print(f"docker {' '.join(verb):8} {name:8} median {med:7.2f} ms  mean {statistics.mean(xs):6.2f}  "
                      f"min {min(xs):6.1f}  max {max(xs):6.1f}  ratio {med / base:5.3f}x dockerd")
            # each round ran both: the per-round difference cancels what the machine did meanwhile,
            # and tells a 1% gap from noise better than the two medians do
            diffs = sorted(b - d for b, d in zip(samples["berthd"], samples["dockerd"]))
            cut = len(diffs) // 10
            trimmed = diffs[cut:len(diffs) - cut] if cut else diffs
            se = statistics.stdev(trimmed) / math.sqrt(len(trimmed)) if len(trimmed) > 1 else 0.0
            print(f"docker {' '.join(verb):8} berthd - dockerd per round: median {statistics.median(diffs):+.3f} ms, "
                  f"10%-trimmed mean {statistics.mean(trimmed):+.3f} +- {se:.3f} ms")
        time.sleep(5)
        print(f"idle RSS  berthd {tree_rss_mib(berthd.pid):6.1f} MiB   "
              f"dockerd+containerd {tree_rss_mib(dockerd.pid):6.1f} MiB")
    finally:
        stop_all(procs, tmp)

if __name__ == "__main__":
    main()
