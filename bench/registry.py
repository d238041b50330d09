#!/usr/bin/env python3
"""Issue 6's targets on loopback: push and pull of a ~200 MiB five-layer image, berthd with
`berth registry serve` against dockerd 20.10 with Debian's docker-registry 2.8.2, interleaved;
then each registry's throughput with 32 concurrent pulling clients.

The image is a hand-made docker-archive (made once per run, `docker load`ed into each daemon):
a busybox layer (the host's static busybox as /bin/busybox and /bin/sh) and four layers of
50 files of 1 MiB each. --shape random (default): random bytes, so compression gains nothing
and every byte really moves; dockerd gzips them anyway, berth's push may send such layers
plain. --shape text: word salad that gzip shrinks to ~40%, so both clients compress on push
and decompress on pull.

Push/pull, each round, per pair (order alternating): a fresh registry on a fresh port (so no
daemon can skip or mount a blob it met in an earlier round), the daemon's copies removed and
the archive loaded again (untimed: every push starts from a loaded image, as after a build),
`docker push 127.0.0.1:PORT/bench/registry:latest` timed, every copy removed again,
`docker pull` timed. berthd may unpack layers after a pull returns: the bench then waits for
the unpack (untimed for `pull`) and reports `pull+unpack` too, as images.py does for load.

Server throughput: one registry of each kind, seeded with identical bytes by skopeo from the
same archive; 32 curl processes at once, each GETting every blob of the image (keep-alive, one
connection per client), the aggregate MiB/s of the wall time; and 32 clients each making 200
small requests (manifest GET, blob HEAD) for requests per second. Registries alternate per round.
"""
import argparse
import hashlib
import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

from private_daemons import start_berthd, start_dockerd, stop_all, wait_for_socket

IMAGE = "bench/registry:latest"
REPO = "bench/registry"
MIB = 1 << 20


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- the image -------------------------------------------------------------------------------

def layer_tar(entries):
    """An uncompressed layer tar from (name, bytes or symlink target, is_link) entries."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        dirs = set()
        for name, data, link in entries:
            parent = os.path.dirname(name)
            if parent and parent not in dirs:
                dirs.add(parent)
                d = tarfile.TarInfo(parent)
                d.type, d.mode, d.mtime = tarfile.DIRTYPE, 0o755, 0
                t.addfile(d)
            ti = tarfile.TarInfo(name)
            ti.mtime = 0
            if link:
                ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, data, 0o777
                t.addfile(ti)
            else:
                ti.size, ti.mode = len(data), 0o755
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def text_source(rnd):
    """1 MiB pieces of word salad from a 2,000-word vocabulary: gzip (level 6) takes it to ~40%,
    like source trees and logs; each piece is a different window of an 8 MiB text."""
    vocab = ["".join(rnd.choices("abcdefghijklmnopqrstuvwxyz", k=rnd.randint(2, 10))) for _ in range(2000)]
    words = rnd.choices(vocab, k=1_400_000)
    for i in range(0, len(words), 12):
        words[i] += "\n"
    text = " ".join(words).encode()
    return lambda: (lambda o: text[o:o + MIB])(rnd.randrange(0, len(text) - MIB))


def make_archive(path, shape, layers=4, files=50):
    """A docker-archive (docker save's format) of the bench image; returns its layer bytes total.
    shape "random": incompressible layers; "text": layers gzip shrinks to ~40%."""
    rnd = random.Random(6)
    piece = (lambda: rnd.randbytes(MIB)) if shape == "random" else text_source(rnd)
    with open("/bin/busybox", "rb") as f:
        busybox = f.read()
    tars = [layer_tar([("bin/busybox", busybox, False), ("bin/sh", "busybox", True)])]
    for n in range(layers):
        tars.append(layer_tar([(f"data{n}/blob{i}", piece(), False) for i in range(files)]))
    diff_ids = ["sha256:" + hashlib.sha256(t).hexdigest() for t in tars]
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "2026-11-26T00:00:00Z",
        "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2026-11-26T00:00:00Z", "created_by": f"bench layer {i}"} for i in range(len(tars))],
    }, separators=(",", ":")).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_names = [d[len("sha256:"):] + "/layer.tar" for d in diff_ids]
    manifest = json.dumps([{"Config": config_name, "RepoTags": [IMAGE], "Layers": layer_names}]).encode()
    with tarfile.open(path, "w") as out:
        for name, data in [(config_name, config), *zip(layer_names, tars), ("manifest.json", manifest)]:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = len(data), 0o644, 0
            out.addfile(ti, io.BytesIO(data))
    return sum(len(t) for t in tars)


# ---- registries ------------------------------------------------------------------------------

class Registry:
    """One registry process private to the run: its own root dir and port on 127.0.0.1."""

    def __init__(self, kind, repo, tmp, label):
        self.kind = kind
        self.port = free_port()
        self.root = f"{tmp}/{label}-root"
        self.host = f"127.0.0.1:{self.port}"
        os.makedirs(self.root)
        log = open(f"{tmp}/{label}.log", "w")
        if kind == "docker-registry":
            conf = f"{tmp}/{label}.yml"
            with open(conf, "w") as f:
                f.write("version: 0.1\nlog:\n  level: warn\n"
                        f"storage:\n  filesystem:\n    rootdirectory: {self.root}\n  delete:\n    enabled: true\n"
                        f"http:\n  addr: {self.host}\n")
            argv = ["/usr/bin/docker-registry", "serve", conf]
        else:
            argv = [f"{repo}/bin/berth", "registry", "serve", "--addr", self.host, "--root", self.root] + (["-l", os.environ["BERTH_REGISTRY_LOG"]] if os.environ.get("BERTH_REGISTRY_LOG") else [])
        self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"{self.kind} exited early with {self.proc.returncode} (log beside its root)")
            try:
                with urllib.request.urlopen(f"http://{self.host}/v2/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit(f"{self.kind} on {self.host} did not answer /v2/ within {seconds}s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def berth_registry_usable(repo):
    """Whether this tree's `berth registry serve` exists (the server lands during the session)."""
    if not os.access(f"{repo}/bin/berth", os.X_OK):
        return False
    r = subprocess.run([f"{repo}/bin/berth", "registry", "serve", "--help"], capture_output=True, text=True)
    return r.returncode == 0 and "--root" in (r.stdout + r.stderr)


# ---- push / pull -----------------------------------------------------------------------------

def docker(sock, *args, check=True):
    r = subprocess.run(["docker", "-H", "unix://" + sock, *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        sys.exit(f"docker {' '.join(args)} against {sock} failed: {r.stderr.strip()}")
    return r


def timed_docker(sock, *args):
    t0 = time.perf_counter()
    r = docker(sock, *args)
    return time.perf_counter() - t0, r.stdout


def remove_all(sock):
    ids = docker(sock, "images", "-q", check=False).stdout.split()
    if ids:
        docker(sock, "rmi", "-f", *sorted(set(ids)), check=False)


def wait_unpacked(snapshots, seconds=300):
    """Until berthd's snapshot dir has no unpack under way (tmp-*) and at least one committed layer."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        names = os.listdir(snapshots) if os.path.isdir(snapshots) else []
        if not any(n.startswith("tmp-") for n in names) and any(
                n.isdigit() and os.path.exists(f"{snapshots}/{n}/layer.json") for n in names):
            return
        time.sleep(0.01)
    sys.exit(f"berthd did not unpack into {snapshots} within {seconds}s")


def push_pull_round(pair, tmp, repo, archive, samples):
    name, daemon, sock, kind = pair
    reg = Registry(kind, repo, tmp, f"pp-{name.replace(' ', '_')}")
    try:
        remove_all(sock)
        docker(sock, "load", "-i", archive)
        ref = f"{reg.host}/{IMAGE}"
        docker(sock, "tag", IMAGE, ref)
        dt, out = timed_docker(sock, "push", ref)
        if "digest: sha256:" not in out:
            sys.exit(f"{name}: push printed no digest:\n{out}")
        samples[name]["push"].append(dt)
        remove_all(sock)
        t0 = time.perf_counter()
        dt, out = timed_docker(sock, "pull", ref)
        samples[name]["pull"].append(dt)
        if daemon == "berthd":
            wait_unpacked(f"{tmp}/berth/snapshots")
            samples[name].setdefault("pull+unpack", []).append(time.perf_counter() - t0)
        if "Downloaded newer image" not in out:
            sys.exit(f"{name}: pull did not download:\n{out}")
    finally:
        reg.stop()


# ---- server throughput ----------------------------------------------------------------------

def seed(reg, archive):
    subprocess.run(["skopeo", "copy", "-q", "--dest-tls-verify=false", f"docker-archive:{archive}",
                    f"docker://{reg.host}/{REPO}:latest"], check=True)
    req = urllib.request.Request(f"http://{reg.host}/v2/{REPO}/manifests/latest", headers={
        "Accept": "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"})
    with urllib.request.urlopen(req) as r:
        body = r.read()
    m = json.loads(body)
    blobs = [(m["config"]["digest"], m["config"]["size"])] + [(l["digest"], l["size"]) for l in m["layers"]]
    return "sha256:" + hashlib.sha256(body).hexdigest(), blobs


def run_clients(argvs):
    """Starts every client at once; the wall time until the last ends, and each one's output."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(a, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for a in argvs]
    outs = [p.communicate() for p in procs]
    dt = time.perf_counter() - t0
    for p, (out, err) in zip(procs, outs):
        if p.returncode != 0:
            sys.exit(f"a load client failed ({p.returncode}): {err.strip()}")
    return dt, [o for o, _ in outs]


def blob_load(reg, blobs, clients, passes):
    urls = [f"http://{reg.host}/v2/{REPO}/blobs/{d}" for d, _ in blobs] * passes
    argv = ["curl", "-s", "--fail", "-w", "%{http_code} %{size_download}\n"]
    for u in urls:
        argv += ["-o", "/dev/null", u]
    dt, outs = run_clients([argv] * clients)
    total = 0
    for out in outs:
        got = [l.split() for l in out.strip().splitlines()]
        if len(got) != len(urls) or any(code != "200" for code, _ in got):
            sys.exit(f"{reg.kind}: a blob client saw {got[:3]}...")
        total += sum(int(n) for _, n in got)
    expected = clients * passes * sum(s for _, s in blobs)
    if total != expected:
        sys.exit(f"{reg.kind}: clients received {total} bytes, expected {expected}")
    return total / MIB / dt


def small_load(reg, blobs, clients, requests):
    """Each client: half its requests manifest GETs, half blob HEADs (two curls, as -I applies to
    every URL of one curl command); requests per second over the wall time."""
    manifest = f"http://{reg.host}/v2/{REPO}/manifests/latest"
    blob = f"http://{reg.host}/v2/{REPO}/blobs/{blobs[0][0]}"
    gets = ["curl", "-s", "--fail", "-w", "%{http_code}\n",
            "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json"]
    for _ in range(requests // 2):
        gets += ["-o", "/dev/null", manifest]
    heads = ["curl", "-s", "--fail", "-I", "-w", "%{http_code}\n"]
    for _ in range(requests - requests // 2):
        heads += ["-o", "/dev/null", blob]
    dt, outs = run_clients([gets] * clients + [heads] * clients)
    codes = [c for o in outs for c in o.split()]
    if len(codes) != clients * requests or any(c != "200" for c in codes):
        sys.exit(f"{reg.kind}: small requests failed: {codes[:6]}")
    return len(codes) / dt


# ---- report ---------------------------------------------------------------------------------

def report_push_pull(samples, mib, base):
    for op in ("push", "pull", "pull+unpack"):
        ref = statistics.median(samples[base]["pull" if op == "pull+unpack" else op])
        for name, ops in samples.items():
            xs = ops.get(op)
            if not xs:
                continue
            med = statistics.median(xs)
            print(f"{op:11} {name:32} median {med:6.2f} s  min {min(xs):6.2f}  max {max(xs):6.2f}  "
                  f"{mib / med:7.1f} MiB/s  {ref / med:5.2f}x {base}'s throughput")


def report_load(label, unit, samples, base):
    ref = statistics.median(samples[base])
    for name, xs in samples.items():
        med = statistics.median(xs)
        print(f"{label:11} {name:32} median {med:9.1f} {unit}  min {min(xs):9.1f}  max {max(xs):9.1f}  "
              f"{med / ref:5.2f}x {base}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--only", default="push-pull,load")
    ap.add_argument("--pairs", default="berthd:berth,dockerd:docker-registry",
                    help="daemon:registry pairs for push/pull (daemon berthd|dockerd, registry berth|docker-registry)")
    ap.add_argument("--cross", action="store_true",
                    help="also berthd with docker-registry and dockerd with berth registry")
    ap.add_argument("--shape", choices=["random", "text"], default="random",
                    help="random: incompressible layers (gzip gains nothing); text: layers gzip shrinks to ~40%%")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--passes", type=int, default=1, help="times each load client fetches every blob")
    ap.add_argument("--docker-only", action="store_true", help="leave berth out (harness check)")
    args = ap.parse_args()
    only = set(args.only.split(","))
    berth = not args.docker_only and berth_registry_usable(args.repo)
    if not berth and not args.docker_only:
        print("berth registry serve is not in this tree: leaving berth's registry out")
    tmp = tempfile.mkdtemp(prefix="berth-bench-registry.")
    procs, regs = [], []
    try:
        archive = f"{tmp}/image.tar"
        size = make_archive(archive, args.shape)
        mib = size / MIB
        print(f"image ({args.shape}): {mib:.1f} MiB in 5 layers (archive {os.path.getsize(archive) / MIB:.1f} MiB)")

        if "push-pull" in only:
            wanted = args.pairs.split(",") + (["berthd:docker-registry", "dockerd:berth"] if args.cross else [])
            if not berth:
                wanted = [w for w in wanted if not w.endswith(":berth")]
            socks = {}
            for daemon in sorted({w.split(":")[0] for w in wanted}, reverse=True):
                proc, sock = start_dockerd(tmp) if daemon == "dockerd" else start_berthd(args.repo, tmp)
                procs.append(proc)
                wait_for_socket(sock, proc)
                socks[daemon] = sock
            label = {"berth": "berth registry", "docker-registry": "docker-registry"}
            pairs = []
            for w in wanted:
                daemon, kind = w.split(":")
                pairs.append((f"{daemon} -> {label[kind]}", daemon, socks[daemon], kind))
            samples = {p[0]: {"push": [], "pull": []} for p in pairs}
            for p in pairs:  # warm-up, untimed
                push_pull_round(p, tmp, args.repo, archive, samples)
                for xs in samples[p[0]].values():
                    xs.clear()
            for r in range(args.rounds):
                for p in (pairs if r % 2 == 0 else list(reversed(pairs))):
                    push_pull_round(p, tmp, args.repo, archive, samples)
            report_push_pull(samples, mib, pairs[-1][0] if "dockerd:docker-registry" not in wanted
                             else "dockerd -> docker-registry")
            for p in pairs:
                remove_all(p[2])

        if "load" in only:
            kinds = ["docker-registry"] + (["berth"] if berth else [])
            for k in kinds:
                regs.append(Registry(k, args.repo, tmp, f"load-{k}"))
            seeded = {r.kind: seed(r, archive) for r in regs}
            digests = {d for d, _ in seeded.values()}
            blobs = seeded["docker-registry"][1]
            print(f"load: {args.clients} clients, each GETs all {len(blobs)} blobs "
                  f"({sum(s for _, s in blobs) / MIB:.1f} MiB) x {args.passes}; manifest "
                  f"{'identical in both' if len(digests) == 1 else 'DIFFERS: ' + str(seeded)}")
            mibs = {r.kind: [] for r in regs}
            rps = {r.kind: [] for r in regs}
            for r in regs:  # warm-up, untimed
                blob_load(r, blobs, 4, 1)
                small_load(r, blobs, 4, 20)
            for i in range(args.rounds):
                for r in (regs if i % 2 == 0 else list(reversed(regs))):
                    mibs[r.kind].append(blob_load(r, blobs, args.clients, args.passes))
                    rps[r.kind].append(small_load(r, blobs, args.clients, 200))
            report_load("blobs", "MiB/s", mibs, "docker-registry")
            report_load("small reqs", "req/s", rps, "docker-registry")
    finally:
        for r in regs:
            r.stop()
        stop_all(procs, tmp)


if __name__ == "__main__":
    main()
