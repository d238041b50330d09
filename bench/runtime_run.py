#!/usr/bin/env python3
"""Interleaved `run` of one bundle under several OCI runtimes: wall time and peak RSS per run.

Each run is one fork + exec of `/usr/bin/time -f %M <runtime> run -b BUNDLE ID` with a fresh
id, timed from before the fork to after wait4 returns. GNU time reports the peak RSS of the
runtime's process tree (for berth-runtime: the JVM); it stands between us and the runtime because
a child forked from this Python process starts with Python's RSS as its high-water mark. A row
`spawn /bin/true` times the same fork + exec + wait of /bin/true alone: the driver's own share
of every number. wait4 also gives the CPU time (user + system) of the whole tree, containers
included: on a machine shared with other work it moves far less than wall time.

crun refuses a hybrid cgroup layout (v1 controllers plus a cgroup2 mount at
/sys/fs/cgroup/unified); it runs in a mount namespace of its own where that mount's
cgroup.controllers is hidden under /dev/null. Only crun's process enters it.
"""
import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time

CLONE_NEWNS = 0x00020000
TIME = "/usr/bin/time"


def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except (OSError, subprocess.SubprocessError):
        return "not available"


class Runtime:
    def __init__(self, name, argv, env=None, mntns=None, cleanup=None):
        self.name = name
        self.argv = argv          # the command before "run -b BUNDLE ID"
        self.env = env
        self.mntns = mntns        # an open fd of a mount namespace to enter, or None
        self.cleanup = cleanup    # argv prefix of "delete -f ID" after a failed run
        self.times = []
        self.rss = []
        self.cpu = []
        self.failures = 0


def hidden_v2_namespace():
    """A process parked in a private mount namespace where the cgroup2 mount's
    cgroup.controllers reads as empty; answers (process, fd of its mount namespace)."""
    controllers = "/sys/fs/cgroup/unified/cgroup.controllers"
    script = f"mount --bind /dev/null {controllers} && echo ok && exec sleep 100000"
    p = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                         stdout=subprocess.PIPE, text=True)
    if p.stdout.readline().strip() != "ok":
        p.kill()
        p.wait()
        raise SystemExit("runtime-run: cannot hide " + controllers + " for crun")
    return p, os.open(f"/proc/{p.pid}/ns/mnt", os.O_RDONLY | os.O_CLOEXEC)


def run_once(rt, argv, log_fd, libc, rss_file):
    null = os.open("/dev/null", os.O_RDWR)
    if rss_file:
        argv = [TIME, "-q", "-f", "%M", "-o", rss_file] + argv
    env = rt.env if rt.env is not None else os.environ
    t0 = time.perf_counter_ns()
    pid = os.fork()
    if pid == 0:
        try:
            if rt.mntns is not None and libc.setns(rt.mntns, CLONE_NEWNS) != 0:
                os.write(log_fd, b"setns failed\n")
                os._exit(126)
            os.dup2(null, 0)
            os.dup2(log_fd, 1)
            os.dup2(log_fd, 2)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    os.close(null)
    rss = float("nan")
    if rss_file:
        with open(rss_file) as f:
            words = f.read().split()
        rss = int(words[-1]) / 1024.0 if words and words[-1].isdigit() else rss
    cpu = (usage.ru_utime + usage.ru_stime) * 1000.0
    return (t1 - t0) / 1e6, rss, cpu, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--only", default="", help="comma-separated subset of: spawn,berth,berth-noaot,runc,crun")
    a = ap.parse_args()

    repo = a.repo
    berth = os.path.join(repo, "bin", "berth-runtime")
    aot = os.path.join(repo, "berth-runtime", "target", "berth-runtime.aot")
    libc = ctypes.CDLL(None, use_errno=True)
    wanted = set(a.only.split(",")) if a.only else None

    def want(name):
        return wanted is None or name in wanted

    runtimes = []
    if want("spawn"):
        runtimes.append(Runtime("spawn /bin/true", None))
    if want("berth"):
        runtimes.append(Runtime("berth-runtime" + (" (AOT)" if os.path.exists(aot) else ""), [berth],
                                cleanup=[berth]))
    if want("berth-noaot") and os.path.exists(aot):
        env = dict(os.environ, BERTH_NO_AOT="1")
        runtimes.append(Runtime("berth-runtime (no AOT)", [berth], env=env, cleanup=[berth]))
    if want("runc") and subprocess.run(["sh", "-c", "command -v runc"], capture_output=True).returncode == 0:
        runtimes.append(Runtime("runc", ["runc"], cleanup=["runc"]))
    parked = None
    if want("crun") and subprocess.run(["sh", "-c", "command -v crun"], capture_output=True).returncode == 0:
        mntns = None
        hybrid = os.path.exists("/sys/fs/cgroup/unified/cgroup.controllers") and os.path.isdir("/sys/fs/cgroup/memory")
        if hybrid:
            parked, mntns = hidden_v2_namespace()
        runtimes.append(Runtime("crun", ["crun"], mntns=mntns, cleanup=["crun"]))

    jar = os.path.join(repo, "berth-runtime", "target", "berth-runtime.jar")
    if os.path.exists(aot) and os.path.getmtime(aot) < os.path.getmtime(jar):
        print("warning: the AOT cache is older than berth-runtime.jar, so the JVM ignores it: "
              "run scripts/build-aot.sh", file=sys.stderr)
    print("machine: %s, %d cpus, load average %s" % (os.uname().release, os.cpu_count(),
                                                     " ".join(open("/proc/loadavg").read().split()[:3])))
    print("versions: %s | %s | %s | %s" % (
        first_line([berth, "--version"]), first_line(["runc", "--version"]),
        first_line(["crun", "--version"]),
        first_line([os.environ.get("BERTH_JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"), "-version"])))
    print("bundle: %s, %d rounds, interleaved (order rotates each round)" % (a.bundle, a.rounds))
    sys.stdout.flush()

    log = tempfile.TemporaryFile()
    rss_fd, rss_file = tempfile.mkstemp(prefix="berth-bench-rss.")
    os.close(rss_fd)
    if not os.access(TIME, os.X_OK):
        print("(no %s: apt-get install time; peak RSS not measured)" % TIME)
        rss_file = None
    tag = "%d-%d" % (os.getpid(), int(time.time()))
    try:
        for r in range(a.rounds):
            k = r % len(runtimes)
            for rt in runtimes[k:] + runtimes[:k]:
                cid = "bench-%s-%d-%d" % (tag, r, runtimes.index(rt))
                argv = ["/bin/true"] if rt.argv is None else rt.argv + ["run", "-b", a.bundle, cid]
                log.seek(0)
                log.truncate()
                ms, rss, cpu, code = run_once(rt, argv, log.fileno(), libc, rss_file)
                if code != 0:
                    rt.failures += 1
                    log.seek(0)
                    msg = log.read().decode(errors="replace").strip()
                    print("  %s round %d: exit %d: %s" % (rt.name, r, code, msg[-300:]), file=sys.stderr)
                    if rt.cleanup:
                        subprocess.run(rt.cleanup + ["delete", "-f", cid], capture_output=True)
                    continue
                rt.times.append(ms)
                rt.rss.append(rss)
                rt.cpu.append(cpu)
    finally:
        if rss_file:
            os.unlink(rss_file)
        if parked is not None:
            parked.kill()
            parked.wait()

    runc = next((rt for rt in runtimes if rt.name == "runc" and rt.times), None)
    base = statistics.median(runc.times) if runc else None
    print()
    print("| runtime | median ms | min–max ms | × runc | CPU ms (median) | peak RSS MiB | failures |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for rt in runtimes:
        if not rt.times:
            print("| %s | – | – | – | – | – | %d |" % (rt.name, rt.failures))
            continue
        med = statistics.median(rt.times)
        ratio = "%.2f" % (med / base) if base else "–"
        print("| %s | %.1f | %.1f–%.1f | %s | %.0f | %.1f | %d |" % (
            rt.name, med, min(rt.times), max(rt.times), ratio, statistics.median(rt.cpu), max(rt.rss), rt.failures))
    print()
    print("load average after: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))


if __name__ == "__main__":
    main()
