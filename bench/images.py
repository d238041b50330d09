#!/usr/bin/env python3
"""`docker load` and `docker save` of one ~120 MiB image, berthd against dockerd, interleaved.

Two images, each made once, imported into dockerd and saved from it (that archive is what every
load reads): "files", 96 MiB in 384 files of random bytes plus 24 MiB in 6144 small files (a
real tree has many: creating files dominates, and costs both daemons the same kernel time), and
"data", 120 files of 1 MiB (moving bytes dominates). Each round, per daemon (order alternating): remove the image (untimed,
so the load unpacks everything again), time `docker load -i`, time `docker save -o`.

Without bin/berthd (or with --in-process) berth's side is bench/ImagesBench.java: the same
archive through ImageTransfer.load and .save in one warm JVM with the real content store,
snapshotter and image store, which is berthd's work minus HTTP.
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from private_daemons import start_berthd, start_dockerd, stop_all, wait_for_socket

JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
IMAGE = "bench/images:latest"


def make_rootfs(dir, shape):
    rnd = random.Random(1)
    if shape == "data":
        os.makedirs(f"{dir}/data", exist_ok=True)
        for i in range(120):
            with open(f"{dir}/data/blob{i}", "wb") as f:
                f.write(rnd.randbytes(1 << 20))
        return
    for i in range(384):
        d = f"{dir}/big/{i % 16}"
        os.makedirs(d, exist_ok=True)
        with open(f"{d}/blob{i}", "wb") as f:
            f.write(rnd.randbytes(256 * 1024))
    for i in range(6144):
        d = f"{dir}/small/{i % 64}"
        os.makedirs(d, exist_ok=True)
        with open(f"{d}/f{i}", "wb") as f:
            f.write(rnd.randbytes(4096))


def timed(argv):
    t0 = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {r.stderr.decode().strip()}")
    return dt


def wait_unpacked(snapshots, seconds=120):
    """Until berthd's snapshot dir holds a committed layer and no unpack (tmp-*) is under way."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        names = os.listdir(snapshots)
        if not any(n.startswith("tmp-") for n in names) and any(
                n.isdigit() and os.path.exists(f"{snapshots}/{n}/layer.json") for n in names):
            return
        time.sleep(0.01)
    sys.exit(f"berthd did not unpack into {snapshots} within {seconds}s")


def report(samples, base, shape):
    for op in ("load", "save", "load+unpack"):
        ref = statistics.median(samples[base]["load" if op == "load+unpack" else op])
        for name in samples:
            xs = samples[name].get(op)
            if not xs:
                continue
            med = statistics.median(xs)
            print(f"{shape:5} docker {op} {name:20} median {med * 1000:8.0f} ms  min {min(xs) * 1000:7.0f}  "
                  f"max {max(xs) * 1000:7.0f}  ratio {med / ref:4.2f}x dockerd")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--in-process", action="store_true")
    ap.add_argument("--shape", choices=["files", "data", "both"], default="both")
    args = ap.parse_args()
    in_process = args.in_process or not os.access(f"{args.repo}/bin/berthd", os.X_OK)
    tmp = tempfile.mkdtemp(prefix="berth-bench-images.")
    procs = []
    try:
        dockerd, dsock = start_dockerd(tmp)
        procs.append(dockerd)
        daemons = {"dockerd": dsock}
        if not in_process:
            berthd, bsock = start_berthd(args.repo, tmp)
            procs.append(berthd)
            daemons["berthd"] = bsock
        for name, sock in daemons.items():
            wait_for_socket(sock, procs[0] if name == "dockerd" else procs[1])

        for shape in (["files", "data"] if args.shape == "both" else [args.shape]):
            rootfs = f"{tmp}/rootfs"
            make_rootfs(rootfs, shape)
            subprocess.run(f"tar -C {rootfs} -cf - . | docker -H unix://{dsock} import - {IMAGE}",
                           shell=True, check=True, stdout=subprocess.DEVNULL)
            shutil.rmtree(rootfs)
            archive = f"{tmp}/image.tar"
            subprocess.run(["docker", "-H", "unix://" + dsock, "save", "-o", archive, IMAGE], check=True)
            print(f"{shape}: archive {os.path.getsize(archive) / 2**20:.1f} MiB (docker 20.10 save of one imported layer)")

            samples = {name: {"load": [], "save": []} for name in daemons}
            out = f"{tmp}/out.tar"
            bench = None
            if in_process:
                cp = open(f"{args.repo}/berth-image/target/classpath.txt").read().strip()
                cp = f"{args.repo}/berth-image/target/berth-image.jar:{cp}"
                bench = subprocess.Popen([JAVA, "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                                          f"{args.repo}/bench/ImagesBench.java", f"{tmp}/berth-{shape}", archive, out],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                procs.append(bench)
                samples["berth (in-process)"] = {"load": [], "save": []}

            def berth_in_process(op):
                bench.stdin.write(op + "\n")
                bench.stdin.flush()
                line = bench.stdout.readline().split()
                if not line or line[0] != "ok":
                    sys.exit(f"ImagesBench {op} failed: {line}")
                return float(line[1]) / 1000

            def one_round(name):
                if name == "berth (in-process)":
                    berth_in_process("reset")
                    samples[name]["load"].append(berth_in_process("load"))
                    samples[name]["save"].append(berth_in_process("save"))
                    return
                sock = daemons[name]
                subprocess.run(["docker", "-H", "unix://" + sock, "rmi", "-f", IMAGE], capture_output=True)
                t0 = time.perf_counter()
                samples[name]["load"].append(timed(["docker", "-H", "unix://" + sock, "load", "-i", archive]))
                if name == "berthd":
                    # berthd unpacks after the load returns: wait for it (untimed for the load), so that
                    # its unpack never overlaps dockerd's turn, and report load + unpack as well
                    wait_unpacked(f"{tmp}/berth/snapshots")
                    samples[name].setdefault("load+unpack", []).append(time.perf_counter() - t0)
                samples[name]["save"].append(timed(["docker", "-H", "unix://" + sock, "save", "-o", out, IMAGE]))
                os.remove(out)

            names = list(samples)
            for name in names:  # warm-up, untimed
                one_round(name)
                for op in samples[name]:
                    samples[name][op].clear()
            for r in range(args.rounds):
                for name in (names if r % 2 == 0 else list(reversed(names))):
                    one_round(name)
            report(samples, "dockerd", shape)
            if bench is not None:
                bench.stdin.close()
                bench.wait()
            for name, sock in daemons.items():
                subprocess.run(["docker", "-H", "unix://" + sock, "rmi", "-f", IMAGE], capture_output=True)
    finally:
        stop_all(procs, tmp)

if __name__ == "__main__":
    main()
