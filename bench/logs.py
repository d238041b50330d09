#!/usr/bin/env python3
"""json-file log throughput, berthd against dockerd (Debian's docker.io 20.10), both private to
this run, interleaved rounds:

1. `docker run --rm busybox sh -c 'yes hello | head -c 20m'`: 20 MiB of 6-byte lines through
   the daemon's log writer and the attach stream to the CLI (its stdout counted, so a run that
   loses output fails the bench).
2. `docker logs` of a stopped container that wrote the same (--log-opt max-size=1g on both: the
   3.5 million lines are ~270 MB of JSON, so neither daemon rotates part of it away), and
   `docker logs --tail 5` of it.

Medians and the load average at each row (other work on the machine moves them).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from private_daemons import start_berthd, start_dockerd, stop_all, wait_for_socket

IMAGE = "busybox:latest"
PRODUCE = "yes hello | head -c 20m"
SIZE = 20 << 20


def run(argv, check=True, **kw):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.decode().strip()}")
    return r


def timed_bytes(argv):
    """Seconds and the byte count of argv's stdout, read as it comes (not kept)."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    n = 0
    while True:
        chunk = p.stdout.read(1 << 16)
        if not chunk:
            break
        n += len(chunk)
    p.wait()
    return time.perf_counter() - start, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repo", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="berth-bench-logs.")
    procs = []
    try:
        dockerd, dsock = start_dockerd(tmp)
        procs.append(dockerd)
        berthd, bsock = start_berthd(args.repo, tmp)
        procs.append(berthd)
        wait_for_socket(dsock, dockerd)
        wait_for_socket(bsock, berthd)
        hosts = {"berthd": "unix://" + bsock, "dockerd": "unix://" + dsock}
        run([f"{args.repo}/bin/berth", "-H", hosts["berthd"], "image", "bootstrap", "busybox"])
        archive = f"{tmp}/busybox.tar"
        run(["docker", "-H", hosts["berthd"], "save", "-o", archive, IMAGE])
        run(["docker", "-H", hosts["dockerd"], "load", "-i", archive])
        print(f"# {args.rounds} rounds, load average at start {os.getloadavg()[0]:.2f}", flush=True)

        results = {(n, k): [] for n in hosts for k in ("run", "logs", "tail")}
        for r in range(args.rounds):
            for name, host in hosts.items():
                secs, n = timed_bytes(["docker", "-H", host, "run", "--rm", IMAGE, "sh", "-c", PRODUCE])
                if n != SIZE:
                    sys.exit(f"{name}: docker run gave {n} bytes, not {SIZE}")
                results[(name, "run")].append(secs)
                run(["docker", "-H", host, "rm", "-f", "logsrc"], check=False)
                run(["docker", "-H", host, "run", "--name", "logsrc", "--log-opt", "max-size=1g", IMAGE, "sh", "-c", PRODUCE])
                secs, n = timed_bytes(["docker", "-H", host, "logs", "logsrc"])
                results[(name, "logs")].append(secs)
                if n != SIZE:
                    sys.exit(f"{name}: docker logs gave {n} bytes, not {SIZE}")
                secs, _ = timed_bytes(["docker", "-H", host, "logs", "--tail", "5", "logsrc"])
                results[(name, "tail")].append(secs)
                print(f"round {r + 1} {name}: run {results[(name, 'run')][-1]:.2f} s, logs {results[(name, 'logs')][-1]:.2f} s"
                      f" ({n} bytes), --tail 5 {secs:.3f} s, load {os.getloadavg()[0]:.2f}", flush=True)
        for k, what in (("run", "docker run, 20 MiB of 'yes hello'"), ("logs", "docker logs of it"),
                        ("tail", "docker logs --tail 5 of it")):
            b = statistics.median(results[("berthd", k)])
            d = statistics.median(results[("dockerd", k)])
            print(f"{what}: berthd {b:.3f} s, dockerd {d:.3f} s, {b / d:.2f}x", flush=True)
        for host in hosts.values():
            run(["docker", "-H", host, "rm", "-f", "logsrc"], check=False)
        print(f"# load average at end {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        stop_all(procs, tmp)


if __name__ == "__main__":
    main()
