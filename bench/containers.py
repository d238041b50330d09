#!/usr/bin/env python3
"""Issue 4's container targets: berthd against dockerd (Debian's docker.io 20.10, with its own
containerd and runc shims) and podman (Debian's 4.3, crun, conmon), all three private to this run
(own roots, sockets and storage), on one busybox image made by `berth image bootstrap busybox`
and loaded into the other two.

1. `docker run --rm --network none busybox true`, the same docker CLI against berthd and dockerd,
   and `podman run --rm --network none ... true`; interleaved rounds, medians.
2. The launch inside the engine at the API: create + start + wait + remove of a named container,
   (a) four requests on one kept-alive connection from this script, (b) one `curl` process doing
   the four with --next, as a user would on the socket. berthd and dockerd, interleaved.
3. 50 x `docker run -d --network none busybox sleep 1000` in sequence (podman run -d too): the
   total time.
4. Memory per running container beyond the container's own processes: berthd's PSS growth over
   the 50; dockerd's shims (containerd-shim-runc-v2) plus the growth of dockerd and containerd;
   podman's conmons. PSS (proportional set size) so that 50 copies of one shim count once per page.
5. `docker ps` with the 50 running, berthd against dockerd, interleaved.
"""
import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from private_daemons import start_berthd, start_dockerd, stop_all, wait_for_socket

IMAGE = "busybox:latest"


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def call(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300 and r.status != 304:
        sys.exit(f"{method} {path}: {r.status} {data.decode(errors='replace').strip()}")
    return data


def run(argv, check=True):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.decode().strip()}")
    return r


def timed(argv):
    t0 = time.perf_counter()
    run(argv)
    return time.perf_counter() - t0


def pss_kib(pid):
    """Proportional set size of one process, KiB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pids_whose_cmdline_has(needle, name_part):
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in cmd and name_part in cmd.split(" ")[0]:
            out.append(int(p))
    return out


def child_named(parent, name):
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{p}/comm") as f:
                comm = f.read().strip()
        except OSError:
            continue
        if int(fields[1]) == parent and comm == name:
            return int(p)
    return None


def median_ms(xs):
    return statistics.median(xs) * 1000


def line(what, name, xs, ref=None):
    med = median_ms(xs)
    ratio = f"  {med / ref:5.3f}x dockerd" if ref else ""
    print(f"{what:34} {name:8} median {med:8.1f} ms  min {min(xs) * 1000:7.1f}  max {max(xs) * 1000:7.1f}{ratio}",
          flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--many", type=int, default=50)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--no-podman", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="berth-bench-containers.")
    procs = []
    podman = None if args.no_podman or not shutil.which("podman") else [
        "podman", "--root", f"{tmp}/proot", "--runroot", f"{tmp}/prun", "--storage-driver", "overlay",
        "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--tmpdir", f"{tmp}/ptmp"]
    podman_store = podman  # cleaned up at the end even when podman is left out of the rounds
    try:
        dockerd, dsock = start_dockerd(tmp)
        procs.append(dockerd)
        berthd, bsock = start_berthd(args.repo, tmp)
        procs.append(berthd)
        wait_for_socket(dsock, dockerd)
        wait_for_socket(bsock, berthd)
        hosts = {"berthd": "unix://" + bsock, "dockerd": "unix://" + dsock}
        socks = {"berthd": bsock, "dockerd": dsock}

        run([f"{args.repo}/bin/berth", "-H", hosts["berthd"], "image", "bootstrap", "busybox"])
        archive = f"{tmp}/busybox.tar"
        run(["docker", "-H", hosts["berthd"], "save", "-o", archive, IMAGE])
        run(["docker", "-H", hosts["dockerd"], "load", "-i", archive])
        if podman:
            os.makedirs(f"{tmp}/ptmp", exist_ok=True)
            run(podman + ["load", "-i", archive])
            probe = run(podman + ["run", "--rm", "--network", "none", IMAGE, "true"], check=False)
            if probe.returncode != 0:
                # seen here: crun's setrlimit(RLIMIT_NOFILE/NPROC) refused in a sandbox without
                # CAP_SYS_RESOURCE; the bench goes on without podman rather than not at all
                print(f"# podman left out: {probe.stderr.decode().strip()}", flush=True)
                podman = None
        la = os.getloadavg()[0]
        print(f"# {args.rounds} rounds, load average at start {la:.2f}", flush=True)

        # 1. docker run --rm true
        samples = {k: [] for k in ("berthd", "dockerd")}
        if podman:
            samples["podman"] = []
        for name in list(samples):  # one warm-up each
            argv = podman if name == "podman" else ["docker", "-H", hosts[name]]
            timed(argv + ["run", "--rm", "--network", "none", IMAGE, "true"])
        for i in range(args.rounds):
            order = list(samples) if i % 2 == 0 else list(reversed(samples))
            for name in order:
                argv = podman if name == "podman" else ["docker", "-H", hosts[name]]
                samples[name].append(timed(argv + ["run", "--rm", "--network", "none", IMAGE, "true"]))
        ref = median_ms(samples["dockerd"])
        for name, xs in samples.items():
            line("run --rm --network none true", name, xs, ref)

        # 2. create + start + wait + remove at the API
        body = {"Image": IMAGE, "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}}
        api = {"berthd": [], "dockerd": []}
        curl = {"berthd": [], "dockerd": []}
        conns = {k: UnixHTTPConnection(socks[k]) for k in api}
        with open(f"{tmp}/create.json", "w") as f:
            json.dump(body, f)
        for i in range(args.rounds * 3 + 3):
            for name in (("berthd", "dockerd") if i % 2 == 0 else ("dockerd", "berthd")):
                c = conns[name]
                n = f"bench-api-{i}"
                t0 = time.perf_counter()
                call(c, "POST", f"/v1.41/containers/create?name={n}", body)
                call(c, "POST", f"/v1.41/containers/{n}/start")
                call(c, "POST", f"/v1.41/containers/{n}/wait")
                call(c, "DELETE", f"/v1.41/containers/{n}")
                dt = time.perf_counter() - t0
                if i >= 3:
                    api[name].append(dt)
                n = f"bench-curl-{i}"
                base = f"http://localhost/v1.41/containers"
                argv = ["curl", "-sf", "-o", "/dev/null", "--unix-socket", socks[name],
                        "-H", "Content-Type: application/json", "-d", f"@{tmp}/create.json", f"{base}/create?name={n}",
                        "--next", "-sf", "-o", "/dev/null", "--unix-socket", socks[name], "-X", "POST", f"{base}/{n}/start",
                        "--next", "-sf", "-o", "/dev/null", "--unix-socket", socks[name], "-X", "POST", f"{base}/{n}/wait",
                        "--next", "-sf", "-o", "/dev/null", "--unix-socket", socks[name], "-X", "DELETE", f"{base}/{n}"]
                dt = timed(argv)
                if i >= 3:
                    curl[name].append(dt)
        ref = median_ms(api["dockerd"])
        for name, xs in api.items():
            line("API create+start+wait+rm (kept)", name, xs, ref)
        ref = median_ms(curl["dockerd"])
        for name, xs in curl.items():
            line("API create+start+wait+rm (curl)", name, xs, ref)

        # 3 + 4. 50 x run -d sleep 1000, and the memory it costs
        containerd = child_named(dockerd.pid, "containerd")
        before = {"berthd": pss_kib(berthd.pid),
                  "dockerd": pss_kib(dockerd.pid) + (pss_kib(containerd) if containerd else 0)}
        many = {}
        for name in (["berthd", "dockerd"] + (["podman"] if podman else [])):
            argv = podman if name == "podman" else ["docker", "-H", hosts[name]]
            t0 = time.perf_counter()
            for i in range(args.many):
                run(argv + ["run", "-d", "--network", "none", "--name", f"many-{i}", IMAGE, "sleep", "1000"])
            many[name] = time.perf_counter() - t0
            print(f"{args.many} x run -d sleep 1000 {name:8} {many[name]:7.2f} s  ({many[name] / args.many * 1000:.0f} ms each)",
                  flush=True)
        time.sleep(2)
        after_b = pss_kib(berthd.pid)
        print(f"memory per container   berthd   {(after_b - before['berthd']) / args.many / 1024:6.2f} MiB"
              f"  (berthd PSS {before['berthd'] / 1024:.1f} -> {after_b / 1024:.1f} MiB; no shim)", flush=True)
        shims = pids_whose_cmdline_has(tmp, "containerd-shim")
        shim_pss = sum(pss_kib(p) for p in shims)
        after_d = pss_kib(dockerd.pid) + (pss_kib(containerd) if containerd else 0)
        print(f"memory per container   dockerd  {(shim_pss + after_d - before['dockerd']) / args.many / 1024:6.2f} MiB"
              f"  ({len(shims)} shims, PSS {shim_pss / 1024:.1f} MiB; dockerd+containerd grew "
              f"{(after_d - before['dockerd']) / 1024:.1f} MiB)", flush=True)
        if podman:
            conmons = pids_whose_cmdline_has(tmp, "conmon")
            conmon_pss = sum(pss_kib(p) for p in conmons)
            print(f"memory per container   podman   {conmon_pss / max(1, len(conmons)) / 1024:6.2f} MiB"
                  f"  ({len(conmons)} conmons, PSS {conmon_pss / 1024:.1f} MiB)", flush=True)

        # 5. docker ps with 50 running
        ps = {"berthd": [], "dockerd": []}
        for name in ps:
            timed(["docker", "-H", hosts[name], "ps"])
        for i in range(args.rounds):
            for name in (("berthd", "dockerd") if i % 2 == 0 else ("dockerd", "berthd")):
                ps[name].append(timed(["docker", "-H", hosts[name], "ps"]))
        ref = median_ms(ps["dockerd"])
        for name, xs in ps.items():
            line(f"docker ps ({args.many} running)", name, xs, ref)

        for name in ("berthd", "dockerd"):
            ids = run(["docker", "-H", hosts[name], "ps", "-aq"]).stdout.decode().split()
            if ids:
                run(["docker", "-H", hosts[name], "rm", "-f"] + ids, check=False)
        if podman:
            run(podman + ["rm", "-f", "-a", "-t", "0"], check=False)
        print(f"# load average at end {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        if podman_store:
            subprocess.run(podman_store + ["rm", "-f", "-a", "-t", "0"], capture_output=True)
            subprocess.run(["umount", f"{tmp}/proot/overlay"], stderr=subprocess.DEVNULL)
            subprocess.run(["umount", "-R", f"{tmp}/proot"], stderr=subprocess.DEVNULL)
            subprocess.run(["umount", "-R", f"{tmp}/prun"], stderr=subprocess.DEVNULL)
        stop_all(procs, tmp)


if __name__ == "__main__":
    main()
