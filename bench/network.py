#!/usr/bin/env python3
"""Issue 5's networking targets: berthd against dockerd (Debian's docker.io 20.10 with its bridge
driver, iptables rules and docker-proxy), both private to this run and each on a bridge and subnet
of its own, so neither touches the host's networks nor the other's.

1. `docker run --rm busybox true` on the default bridge: interleaved rounds, medians.
2. Container-to-container TCP throughput on a user-defined network: an iperf3 server container and
   a client container reaching it by name (`iperf3 -c bench-srv -J`); the image is the host's
   iperf3 with its libraries and a static busybox, made with `docker import`.
3. Time to first connection by name: `run -d` of a new server container (busybox nc), then a
   client container that connects to it by name in a loop; from the server's `run -d` until the
   first connection succeeds. Beside it, the same two runs without the connection loop.
4. Throughput through a published port, host -> container: `-p 127.0.0.1:PORT:5201` on the
   default bridge, the host's iperf3 as client.

Everything this run makes is removed on exit, also after an error or Ctrl-C: containers and
networks through each daemon, then the daemons (SIGTERM by pid, SIGKILL after 30 s), the mounts
under the run's directory, the bridges it made or named (and any veth left on them), the firewall
rules that mention its bridges or subnets (dockerd's DOCKER* chains when they did not exist
before), and the forwarding sysctl and FORWARD policy as they were.
"""
import argparse
import atexit
import json
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from private_daemons import wait_for_socket

BUSYBOX = "busybox:latest"
IPERF = "berth-bench-iperf3:1"

# each daemon's own default bridge and user network (10.250-10.253: out of the tests' 10.200-10.249)
BERTH_BRIDGE, BERTH_BIP = "btbench0", "10.250.0.1/24"
DOCKER_BRIDGE, DOCKER_BIP = "btdock0", "10.251.0.1/24"
NETS = {"berthd": ("10.252.0.0/24", "btbnet0"), "dockerd": ("10.253.0.0/24", "btdnet0")}
SUBNETS = ("10.250.0.", "10.251.0.", "10.252.0.", "10.253.0.")


def log(msg):
    print(msg, flush=True)


def run(argv, check=True, timeout=300):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.decode(errors='replace').strip()}")
    return r


def quiet(argv, timeout=120):
    try:
        return subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout).returncode
    except (subprocess.TimeoutExpired, OSError):
        return -1


class Cleanup:
    """What this run made, undone once in reverse order of danger: objects, daemons, mounts, links, rules."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.daemons = {}           # name -> (Popen, host)
        self.containers = {}        # host -> names
        self.networks = {}          # host -> names
        self.bridges = set()        # device names to delete if present
        self.network_ids = []       # berthd/dockerd network ids: their br-<id12> devices
        self.chains_before = {t: chains(t) for t in ("filter", "nat")}
        self.rules_before = {t: set(rules(t)) for t in ("filter", "nat")}
        self.forward_policy = forward_policy()
        self.ip_forward = read("/proc/sys/net/ipv4/ip_forward")
        self.done = False

    def container(self, host, name):
        self.containers.setdefault(host, []).append(name)

    def network(self, host, name):
        self.networks.setdefault(host, []).append(name)

    def __call__(self, *_):
        if self.done:
            return
        self.done = True
        for host, names in self.containers.items():
            quiet(["docker", "-H", host, "rm", "-f"] + sorted(set(names)))
        for host, names in self.networks.items():
            for n in names:
                # dockerd 20.10 leaves a second network's endpoint behind on rm -f: disconnect every container first
                out = run(["docker", "-H", host, "network", "inspect", "-f",
                           "{{range $id, $c := .Containers}}{{$id}} {{end}}", n], check=False).stdout.decode().split()
                for cid in out:
                    quiet(["docker", "-H", host, "network", "disconnect", "-f", n, cid])
                quiet(["docker", "-H", host, "network", "rm", n])
        for name, (proc, _) in self.daemons.items():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, (proc, _) in self.daemons.items():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log(f"# {name} did not stop in 30 s: SIGKILL")
                proc.kill()
                proc.wait(timeout=10)
        self.unmount()
        for dev in sorted(self.bridges | {"br-" + i[:12] for i in self.network_ids}):
            delete_bridge(dev)
        self.firewall()
        if self.ip_forward is not None and read("/proc/sys/net/ipv4/ip_forward") != self.ip_forward:
            write("/proc/sys/net/ipv4/ip_forward", self.ip_forward)
        if self.forward_policy and forward_policy() != self.forward_policy:
            quiet(["iptables", "-P", "FORWARD", self.forward_policy])
        shutil.rmtree(self.tmp, ignore_errors=True)
        left = [line for t in ("filter", "nat") for line in rules(t)
                if mentions_ours(line, self.bridges, self.network_ids)]
        if left:
            log("# left in the firewall (remove by hand): " + "; ".join(left))

    def unmount(self):
        mounts = []
        with open("/proc/self/mountinfo") as f:
            for line in f:
                point = line.split()[4].replace("\\040", " ")
                if point == self.tmp or point.startswith(self.tmp + "/"):
                    mounts.append(point)
        for point in sorted(mounts, key=len, reverse=True):
            quiet(["umount", "-l", point])

    def firewall(self):
        for table in ("filter", "nat"):
            # berthd's shared chains and portmap's base chains, when this run made them: a stopped
            # berthd keeps them (as dockerd keeps DOCKER-*) for its default bridge, which goes below
            shared = {c for c in chains(table) - self.chains_before[table] if c.startswith(("BERTH-", "CNI-HOSTPORT-"))}
            for line in rules(table):
                if line in self.rules_before[table]:
                    continue
                if mentions_ours(line, self.bridges, self.network_ids) or (
                        "DOCKER" in line and not any(c.startswith("DOCKER") for c in self.chains_before[table])) or (
                        any(line.endswith("-j " + c) for c in shared)):
                    delete_rule(table, line)
            # chains this run's daemons made: dockerd's DOCKER*, a daemon's per-bridge chains (berthd's
            # BERTH-IN-<bridge>, which stay after berthd stops, as a dockerd's chains do)
            devices = ours(self.bridges, self.network_ids)
            made = [c for c in sorted(chains(table) - self.chains_before[table])
                    if c.startswith("DOCKER") or c in shared or any(c.endswith("-" + d) for d in devices)]
            for chain in made:
                quiet(["iptables", "-t", table, "-F", chain])
            for chain in made:
                quiet(["iptables", "-t", table, "-X", chain])


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def write(path, value):
    try:
        with open(path, "w") as f:
            f.write(value)
    except OSError as e:
        log(f"# could not restore {path}: {e}")


def rules(table):
    r = run(["iptables", "-t", table, "-S"], check=False)
    return [l for l in r.stdout.decode().splitlines() if l.startswith("-A ")]


def chains(table):
    r = run(["iptables", "-t", table, "-S"], check=False)
    return {l.split()[1] for l in r.stdout.decode().splitlines() if l.startswith("-N ") or l.startswith("-P ")}


def forward_policy():
    for l in run(["iptables", "-S", "FORWARD"], check=False).stdout.decode().splitlines():
        if l.startswith("-P FORWARD "):
            return l.split()[2]
    return None


def ours(bridges, ids):
    return set(bridges) | {"br-" + i[:12] for i in ids}


def mentions_ours(line, bridges, ids):
    """A rule that names one of this run's bridges (also inside a chain name, e.g. berthd's
    BERTH-IN-btbench0) or one of its subnets."""
    words = shlex.split(line)
    devices = ours(bridges, ids)
    if any(w == d or w.endswith("-" + d) for w in words for d in devices):
        return True
    return any(w.startswith(s) for w in words for s in SUBNETS)


def delete_rule(table, line):
    args = shlex.split(line)
    quiet(["iptables", "-t", table, "-D"] + args[1:])


def delete_bridge(dev):
    if quiet(["ip", "link", "show", dev]) != 0:
        return
    ports = run(["ip", "-o", "link", "show", "master", dev], check=False).stdout.decode().splitlines()
    for p in ports:
        name = p.split(":")[1].strip().split("@")[0]
        quiet(["ip", "link", "del", name])
    quiet(["ip", "link", "del", dev])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_daemons(args, tmp, clean):
    with open(f"{tmp}/daemon.json", "w") as f:
        f.write("{}")  # keeps the host's /etc/berth/daemon.json out
    for dev in (BERTH_BRIDGE, DOCKER_BRIDGE, NETS["berthd"][1], NETS["dockerd"][1]):
        if quiet(["ip", "link", "show", dev]) == 0:
            sys.exit(f"network: a device {dev} exists already (another bench run?); remove it first")
    clean.bridges |= {BERTH_BRIDGE, DOCKER_BRIDGE, NETS["berthd"][1], NETS["dockerd"][1]}
    if "berthd" in args.daemons:
        if not os.path.isfile(f"{args.repo}/berth-daemon/target/berth-daemon.jar"):
            sys.exit("network: build first (./mvnw -B -o -DskipTests package)")
        sock = f"{tmp}/berth.sock"
        proc = subprocess.Popen(
            [f"{args.repo}/bin/berthd", "--data-root", f"{tmp}/berth", "--exec-root", f"{tmp}/bexec",
             "-H", "unix://" + sock, "--pidfile", f"{tmp}/berth.pid", "--config-file", f"{tmp}/daemon.json",
             "--bridge", BERTH_BRIDGE, "--bip", BERTH_BIP],
            stdout=open(f"{tmp}/berthd.log", "w"), stderr=subprocess.STDOUT)
        clean.daemons["berthd"] = (proc, "unix://" + sock)
    if "dockerd" in args.daemons:
        # dockerd's -b takes a bridge that exists (and its address), so this run makes its own
        run(["ip", "link", "add", DOCKER_BRIDGE, "type", "bridge"])
        run(["ip", "addr", "add", DOCKER_BIP, "dev", DOCKER_BRIDGE])
        run(["ip", "link", "set", DOCKER_BRIDGE, "up"])
        sock = f"{tmp}/docker.sock"
        proc = subprocess.Popen(
            ["dockerd", "--data-root", f"{tmp}/docker", "--exec-root", f"{tmp}/dexec", "-H", "unix://" + sock,
             "--pidfile", f"{tmp}/docker.pid", "--bridge", DOCKER_BRIDGE, "--iptables=true", "--ip6tables=false",
             "--ip-masq=true", "--config-file", f"{tmp}/daemon.json"],
            stdout=open(f"{tmp}/dockerd.log", "w"), stderr=subprocess.STDOUT)
        clean.daemons["dockerd"] = (proc, "unix://" + sock)
    for name, (proc, host) in clean.daemons.items():
        try:
            wait_for_socket(host[len("unix://"):], proc)
        except SystemExit as e:
            tail = open(f"{tmp}/{name}.log").read()[-2000:]
            raise RuntimeError(f"{name} did not come up: {e}\n{tail}")
    return {name: host for name, (_, host) in clean.daemons.items()}


def iperf_rootfs(tmp):
    """The host's iperf3, the libraries ldd names and a static busybox, as a tar for `docker import`."""
    root = f"{tmp}/iperf-root"
    iperf = shutil.which("iperf3")
    files = [iperf]
    for line in run(["ldd", iperf]).stdout.decode().splitlines():
        parts = line.split()
        path = parts[2] if "=>" in parts and len(parts) > 2 else parts[0]
        if path.startswith("/"):
            files.append(path)
    for f in files:
        for p in {f, os.path.realpath(f)}:
            dst = root + p
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.realpath(f), dst)
    os.makedirs(f"{root}/bin", exist_ok=True)
    shutil.copy2("/bin/busybox", f"{root}/bin/busybox")
    for tool in ("sh", "nc", "true", "sleep", "usleep"):
        os.symlink("busybox", f"{root}/bin/{tool}")
    for d in ("tmp", "etc", "proc", "sys", "dev"):
        os.makedirs(f"{root}/{d}", exist_ok=True)
    os.chmod(f"{root}/tmp", 0o1777)
    tar = f"{tmp}/iperf3.tar"
    run(["tar", "-C", root, "-cf", tar, "."])
    return tar


def timed(argv):
    t0 = time.perf_counter()
    run(argv)
    return time.perf_counter() - t0


def report(what, samples, unit, scale, lower_is_better, target=None):
    """One line per daemon: median (min-max) and, for berthd, the ratio to dockerd's median."""
    ref = statistics.median(samples["dockerd"]) if samples.get("dockerd") else None
    for name, xs in samples.items():
        if not xs:
            continue
        med = statistics.median(xs)
        ratio = ""
        if name != "dockerd" and ref:
            r = med / ref
            ratio = f"  = {r:.2f}x dockerd"
            if target is not None:
                ok = r <= target if lower_is_better else r >= target
                ratio += f" (target {'<=' if lower_is_better else '>='} {target}x: {'met' if ok else 'not met'})"
        log(f"{what:44} {name:8} median {med * scale:9.1f} {unit}  min {min(xs) * scale:9.1f}  "
            f"max {max(xs) * scale:9.1f}{ratio}")


def iperf_bps(output):
    """Received bits/s of an iperf3 -J run, or None when it reports an error instead."""
    try:
        result = json.loads(output)
    except ValueError:
        return None
    received = result.get("end", {}).get("sum_received")
    return None if "error" in result or not received else received["bits_per_second"]


def iperf_client(argv, tries=50):
    """An iperf3 client run, retried while the server is not listening yet (it exits at once then)."""
    last = None
    for _ in range(tries):
        r = run(argv, check=False)
        bps = iperf_bps(r.stdout.decode()) if r.returncode == 0 else None
        if bps is not None:
            return bps
        last = r.stdout.decode()[-600:] + r.stderr.decode()[-400:]
        time.sleep(0.2)
    raise RuntimeError(f"{' '.join(argv)}: {last}")


def section(name, fn):
    try:
        fn()
    except Exception as e:  # a daemon without a feature: say so and go on with the rest
        log(f"# {name}: failed: {e}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--rounds", type=int, default=20, help="rounds of run --rm true and of the name test")
    ap.add_argument("--seconds", type=int, default=5, help="length of one iperf3 run")
    ap.add_argument("--iperf-rounds", type=int, default=3)
    ap.add_argument("--only", default="run,c2c,name,published")
    ap.add_argument("--daemons", default="berthd,dockerd")
    args = ap.parse_args()
    args.daemons = [d for d in ("berthd", "dockerd") if d in args.daemons.split(",")]
    only = set(args.only.split(","))
    tmp = tempfile.mkdtemp(prefix="berth-bench-network.")
    clean = Cleanup(tmp)
    atexit.register(clean)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))

    hosts = start_daemons(args, tmp, clean)
    docker = {name: ["docker", "-H", host] for name, host in hosts.items()}
    berth_host = hosts.get("berthd") or next(iter(hosts.values()))
    if "berthd" in hosts:
        run([f"{args.repo}/bin/berth", "-H", hosts["berthd"], "image", "bootstrap", "busybox"])
        archive = f"{tmp}/busybox.tar"
        run(docker["berthd"] + ["save", "-o", archive, BUSYBOX])
        if "dockerd" in hosts:
            run(docker["dockerd"] + ["load", "-i", archive])
    else:
        # without berthd, a busybox of the host's static binary
        root = f"{tmp}/bb-root"
        os.makedirs(f"{root}/bin")
        shutil.copy2("/bin/busybox", f"{root}/bin/busybox")
        os.symlink("busybox", f"{root}/bin/true")
        run(["sh", "-c", f"tar -C {root} -c . | docker -H {berth_host} import -c 'ENV PATH=/bin' - {BUSYBOX}"])
    tar = iperf_rootfs(tmp)
    for name in hosts:
        run(docker[name] + ["import", "-c", "ENV PATH=/bin:/usr/bin", tar, IPERF])
    log(f"# {', '.join(hosts)}; load average at start {os.getloadavg()[0]:.2f}; "
        f"iperf3 {run(['iperf3', '--version']).stdout.decode().split()[1]}")

    order = list(hosts)

    def rounds(n):
        for i in range(n):
            yield i, (order if i % 2 == 0 else list(reversed(order)))

    def default_bridge_run():
        samples = {k: [] for k in hosts}
        for name in hosts:  # warm-up
            timed(docker[name] + ["run", "--rm", BUSYBOX, "true"])
        for _, names in rounds(args.rounds):
            for name in names:
                samples[name].append(timed(docker[name] + ["run", "--rm", BUSYBOX, "true"]))
        report("docker run --rm busybox true (bridge)", samples, "ms", 1000, True, 0.10)

    user_nets = {}

    def user_network(name):
        if name not in user_nets:
            subnet, dev = NETS[name]
            clean.network(hosts[name], "bench-net")
            out = run(docker[name] + ["network", "create", "--subnet", subnet,
                                      "-o", f"com.docker.network.bridge.name={dev}", "bench-net"])
            clean.network_ids.append(out.stdout.decode().strip())
            user_nets[name] = "bench-net"
        return user_nets[name]

    def container_to_container():
        samples = {k: [] for k in hosts}
        for name in hosts:
            net = user_network(name)
            clean.container(hosts[name], "bench-srv")
            run(docker[name] + ["run", "-d", "--name", "bench-srv", "--network", net, IPERF, "iperf3", "-s"])
        for _, names in rounds(args.iperf_rounds):
            for name in names:
                samples[name].append(iperf_client(docker[name] + [
                    "run", "--rm", "--network", user_nets[name], IPERF, "iperf3", "-c", "bench-srv",
                    "-t", str(args.seconds), "-J"]))
        report("TCP container -> container, user network", samples, "Gbit/s", 1e-9, False, 0.9)

    def first_connection_by_name():
        connect = {k: [] for k in hosts}
        plain = {k: [] for k in hosts}
        loop = "until nc -w 1 bench-echo 7000 </dev/null; do usleep 5000; done"
        for i, names in rounds(args.rounds):
            for name in names:
                net = user_network(name)
                for samples, client in ((connect, ["sh", "-c", loop]), (plain, ["true"])):
                    clean.container(hosts[name], "bench-echo")
                    t0 = time.perf_counter()
                    run(docker[name] + ["run", "-d", "--name", "bench-echo", "--network", net, IPERF,
                                        "nc", "-ll", "-p", "7000", "-e", "true"])
                    run(docker[name] + ["run", "--rm", "--network", net, IPERF] + client, timeout=60)
                    samples[name].append(time.perf_counter() - t0)
                    run(docker[name] + ["rm", "-f", "bench-echo"])
        report("new server, client connects by name", connect, "ms", 1000, True)
        report("  the same two runs, no connection", plain, "ms", 1000, True)

    def published_port():
        samples = {k: [] for k in hosts}
        ports = {}
        for name in hosts:
            ports[name] = free_port()
            clean.container(hosts[name], "bench-pub")
            run(docker[name] + ["run", "-d", "--name", "bench-pub", "-p", f"127.0.0.1:{ports[name]}:5201", IPERF,
                                "iperf3", "-s"])
        for _, names in rounds(args.iperf_rounds):
            for name in names:
                samples[name].append(iperf_client(["iperf3", "-c", "127.0.0.1", "-p", str(ports[name]),
                                                   "-t", str(args.seconds), "-J"]))
        report("TCP host -> published port (127.0.0.1)", samples, "Gbit/s", 1e-9, False, 0.9)

    if "run" in only:
        section("run --rm true", default_bridge_run)
    if "c2c" in only:
        section("container to container", container_to_container)
    if "name" in only:
        section("first connection by name", first_connection_by_name)
    if "published" in only:
        section("published port", published_port)
    log(f"# load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
