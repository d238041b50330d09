#!/usr/bin/env python3
"""The docker CLI's own floor: `docker run --rm busybox true` (with and without `--network none`),
`docker version` and `docker images` against a stub Docker Engine API daemon that answers every
request at once, so what is left of the wall time is the CLI's own work.

The stub (`cli-floor.py serve SOCKET`) runs in a process of its own on a unix socket under a temp
dir. It is one thread on one epoll loop, every answer a byte string built once at start (only a
created container's id is formatted per request): no thread to start or hand over to, no GIL
switch between the CLI's request and our answer. It plays a container whose process exits the
moment it is started: `start` answers 204, then the attach stream is closed and the pending
`wait` gets {"StatusCode":0} (dockerd's order). It records, on CLOCK_MONOTONIC (the same clock
this driver reads), each connection's accept, its peer pid (SO_PEERCRED), when each request's
headers were complete and when its answer was sent; the driver fetches that log from the stub
(`GET /_stub/log`) and splits each CLI run into its own time and the stub's.

The driver checks that each command exits 0 against the stub, prints the requests each command
made, times N alternating rounds (wall and CPU time), gives the median time before and after each
request over the rounds and the median round of each `run` request by request, Go's package init
times (GODEBUG=inittrace=1), and the fastest of three rounds under `strace -ff -tt --seccomp-bpf`
for the CLI-side view (process start, first connect, each request's answer, exit_group).
"""
import argparse
import json
import os
import re
import selectors
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

API = "1.47"
SERVER = "Docker/27.5.1 (linux)"  # what a daemon of API 1.47 would say
DATE = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())  # fixed: no per-request work

COMMON = (f"Api-Version: {API}\r\nDocker-Experimental: false\r\nOstype: linux\r\n"
          f"Server: {SERVER}\r\nDate: {DATE}\r\n")


def response(status, body=b"", ctype="application/json", extra=""):
    head = f"HTTP/1.1 {status}\r\n{COMMON}{extra}"
    if body or status.startswith("200"):
        head += f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def json_body(obj):
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


PING_HEADERS = ("Builder-Version: 2\r\nSwarm: inactive\r\n"
                "Cache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\n")
PING_HEAD = (f"HTTP/1.1 200 OK\r\n{COMMON}{PING_HEADERS}"
             "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 0\r\n\r\n").encode()
PING_GET = (f"HTTP/1.1 200 OK\r\n{COMMON}{PING_HEADERS}"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nOK").encode()
VERSION = response("200 OK", json_body({
    "Platform": {"Name": "berth cli-floor stub"},
    "Components": [{"Name": "Engine", "Version": "27.5.1",
                    "Details": {"ApiVersion": API, "Arch": "amd64", "BuildTime": "2025-01-22T00:00:00.000000000+00:00",
                                "Experimental": "false", "GitCommit": "0000000", "GoVersion": "go1.22.11",
                                "KernelVersion": os.uname().release, "MinAPIVersion": "1.24", "Os": "linux"}}],
    "Version": "27.5.1", "ApiVersion": API, "MinAPIVersion": "1.24", "GitCommit": "0000000",
    "GoVersion": "go1.22.11", "Os": "linux", "Arch": "amd64", "KernelVersion": os.uname().release,
    "BuildTime": "2025-01-22T00:00:00.000000000+00:00"}))
IMAGE_ID = "sha256:" + "ab" * 32
IMAGES = response("200 OK", json_body([
    {"Containers": -1, "Created": 1700000000, "Id": IMAGE_ID, "Labels": None, "ParentId": "",
     "RepoDigests": [], "RepoTags": [f"busybox:{t}"], "SharedSize": -1, "Size": 4261550}
    for t in ("latest", "one", "two", "three")]))
INFO = response("200 OK", json_body({
    "ID": "stub", "Containers": 0, "ContainersRunning": 0, "ContainersPaused": 0, "ContainersStopped": 0,
    "Images": 1, "Driver": "overlay2", "OperatingSystem": "stub", "OSType": "linux", "Architecture": "x86_64",
    "NCPU": os.cpu_count(), "MemTotal": 0, "ServerVersion": "27.5.1", "Name": "stub",
    "SecurityOptions": [], "Warnings": None}))
NO_CONTENT = response("204 No Content")
RESIZED = response("200 OK", b"", "text/plain; charset=utf-8")
UPGRADED = (b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n"
            b"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
WAIT_HEAD = (f"HTTP/1.1 200 OK\r\n{COMMON}Content-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n\r\n").encode()
_wait = b'{"Error":null,"StatusCode":0}\n'
WAIT_BODY = b"%x\r\n%s\r\n0\r\n\r\n" % (len(_wait), _wait)
NOT_FOUND = response("404 Not Found", json_body({"message": "cli-floor stub: no such route"}))
CREATE_FMT = f"HTTP/1.1 201 Created\r\n{COMMON}Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"

VERSIONED = re.compile(r"^/v1\.\d+")
CONTAINER_OP = re.compile(r"^/containers/([^/]+)(/[a-z]+)?$")


class Conn:
    __slots__ = ("sock", "no", "pid", "buf", "state")

    def __init__(self, sock, no, pid):
        self.sock, self.no, self.pid, self.buf, self.state = sock, no, pid, b"", "http"


class Container:
    __slots__ = ("attached", "waiters", "exited")

    def __init__(self):
        self.attached, self.waiters, self.exited = [], [], False


class Stub:
    def __init__(self, path):
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(64)
        self.listener.setblocking(False)
        self.sel = selectors.EpollSelector()
        self.sel.register(self.listener, selectors.EVENT_READ, None)
        self.containers = {}
        self.next_id = 0
        self.next_conn = 0
        self.current = None  # the log entry of the request being answered
        # (kind, t_ns, pid, conn, what, t_done, t_ready): ("accept", t, pid, no, "", 0, 0),
        # ("req", t_headers_complete, pid, no, "METHOD target", t_answer_sent, t_answer_ready),
        # ("exit", t_sent, pid, no, id, 0, 0) when a wait body goes out
        self.log = []

    def serve(self):
        mono = time.monotonic_ns
        while True:
            for key, _ in self.sel.select():
                if key.data is None:
                    self.accept(mono)
                else:
                    try:
                        self.readable(key.data, mono)
                    except Exception as e:  # a request the stub cannot parse: say so, drop that connection
                        print(f"stub: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
                        self.close(key.data)

    def accept(self, mono):
        while True:
            try:
                s, _ = self.listener.accept()
            except BlockingIOError:
                return
            t = mono()
            pid = struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0]
            s.setblocking(False)
            self.next_conn += 1
            c = Conn(s, self.next_conn, pid)
            self.log.append(("accept", t, pid, c.no, "", 0, 0))
            self.sel.register(s, selectors.EVENT_READ, c)

    def close(self, c):
        try:
            self.sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()
        c.state = "closed"

    def readable(self, c, mono):
        try:
            data = c.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            if c.state == "hijacked":
                # the CLI half-closes its side of the attach at once (no stdin); the stream stays
                # open until the container exits, as dockerd keeps it
                self.sel.unregister(c.sock)
                c.state = "hijacked-eof"
            else:
                self.close(c)
            return
        if c.state != "http":
            return  # stdin of an attach or bytes after a wait: ignored
        c.buf += data
        while c.state == "http":
            end = c.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = c.buf[:end + 2]  # with the last header's CRLF
            lower = head.lower()
            i = lower.find(b"\r\ncontent-length:")
            body_len = int(head[i + 17:head.index(b"\r\n", i + 2)]) if i >= 0 else 0
            if body_len == 0 and b"\r\ntransfer-encoding: chunked" in lower:
                term = c.buf.find(b"\r\n0\r\n\r\n", end)
                if term < 0:
                    return
                body_len = term + 7 - (end + 4)
            if len(c.buf) < end + 4 + body_len:
                return
            t = mono()
            c.buf = c.buf[end + 4 + body_len:]
            line = head[:head.index(b"\r\n")] if b"\r\n" in head else head
            method, target, _ = line.decode("latin-1").split(" ", 2)
            self.handle(c, method, target, t, mono)

    def send(self, c, data):
        if self.current is not None and not self.current[6]:
            self.current[6] = time.monotonic_ns()  # the answer is ready: what remains is the send
        try:
            c.sock.sendall(data)  # answers are a few hundred bytes; the socket buffer takes them whole
        except OSError:
            self.close(c)

    def handle(self, c, method, target, t, mono):
        path = target.split("?", 1)[0]
        m = VERSIONED.match(path)
        if m:
            path = path[m.end():]
        entry = ["req", t, c.pid, c.no, f"{method} {target}", 0, 0]
        self.log.append(entry)
        self.current = entry
        if path == "/_ping":
            self.send(c, PING_HEAD if method == "HEAD" else PING_GET)
        elif path == "/containers/create" and method == "POST":
            self.next_id += 1
            cid = f"{self.next_id:064x}"
            self.containers[cid] = Container()
            body = b'{"Id":"%s","Warnings":[]}\n' % cid.encode()
            self.send(c, (CREATE_FMT % len(body)).encode() + body)
        elif path == "/version":
            self.send(c, VERSION)
        elif path == "/images/json":
            self.send(c, IMAGES)
        elif path == "/info":
            self.send(c, INFO)
        elif path == "/_stub/log":
            self.send(c, response("200 OK", json_body(self.log), extra="Connection: close\r\n"))
            self.log = []
            self.close(c)
        else:
            op = CONTAINER_OP.match(path)
            ctr = self.containers.get(op.group(1)) if op else None
            if ctr is None:
                self.send(c, NOT_FOUND)
            else:
                self.container_op(c, op.group(1), ctr, method, op.group(2), target, mono)
        entry[5] = mono()
        self.current = None

    def container_op(self, c, cid, ctr, method, verb, target, mono):
        if verb == "/attach":
            self.send(c, UPGRADED)
            c.state = "hijacked"
            if ctr.exited:
                self.close(c)
            else:
                ctr.attached.append(c)
        elif verb == "/wait":
            self.send(c, WAIT_HEAD)  # headers at once: the CLI starts the container only after it has them
            if ctr.exited:
                self.send(c, WAIT_BODY)
            else:
                c.state = "waiting"
                ctr.waiters.append(c)
        elif verb == "/start":
            self.send(c, NO_CONTENT)
            self.exit(cid, ctr, mono)
        elif verb == "/json" and method == "GET":
            self.send(c, response("200 OK", json_body({
                "Id": cid, "Name": "/stub", "Image": IMAGE_ID,
                "State": {"Status": "exited", "Running": False, "ExitCode": 0},
                "Config": {"Tty": False, "Image": "busybox"}, "HostConfig": {"AutoRemove": True}})))
        elif verb == "/resize":
            self.send(c, RESIZED)
        elif verb in ("/kill", "/stop") or (verb is None and method == "DELETE"):
            self.send(c, NO_CONTENT)
            self.exit(cid, ctr, mono)
        else:
            self.send(c, NOT_FOUND)

    def exit(self, cid, ctr, mono):
        """The container's process has exited (the stub then forgets it, as --rm would): close the attach
        streams, then answer the waits, in dockerd's order."""
        if ctr.exited:
            return
        ctr.exited = True
        for a in ctr.attached:
            if a.state != "closed":
                try:
                    a.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self.close(a)
        for w in ctr.waiters:
            if w.state == "waiting":
                self.send(w, WAIT_BODY)
                w.state = "http"
                self.log.append(("exit", mono(), w.pid, w.no, cid, 0, 0))
        del self.containers[cid]


# ---------------------------------------------------------------------------------------- driver

COMMANDS = [
    ("run --rm --network none", ["run", "--rm", "--network", "none", "busybox", "true"]),
    ("run --rm (bridge)", ["run", "--rm", "busybox", "true"]),
    ("version", ["version"]),
    ("images", ["images"]),
]


def fetch_log(sock_path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    s.sendall(b"GET /_stub/log HTTP/1.1\r\nHost: stub\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        data += chunk
    s.close()
    return json.loads(data.split(b"\r\n\r\n", 1)[1])


def run_once(argv, env):
    """One CLI call: its pid, the monotonic spawn and reap times the stub's log is read against,
    exit code, stderr, and the CPU time (user + system, all threads) the process used."""
    t0 = time.monotonic_ns()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    t1 = time.monotonic_ns()
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    return p.pid, t0, t1, p.returncode, err.decode(errors="replace"), (ru.ru_utime + ru.ru_stime) * 1000


def label(what):
    method, target = what.split(" ", 1)
    path, _, query = target.partition("?")
    path = re.sub(r"[0-9a-f]{64}", "{id}", VERSIONED.sub("", path))
    cond = re.search(r"condition=[a-z-]+", query)
    return f"{method} {path}" + (f"?{cond.group(0)}" if cond else "")


def steps(pid, t0, t1, log):
    """One CLI run cut at the stub's log: for each request, the CLI's time before it (from the
    previous answer sent, or from the spawn, until the request's headers were complete at the
    stub: the CLI's work, its connect, the kernel's hand-over) and the stub's time answering it;
    then the time from the last thing the stub sent until the process was reaped."""
    evs = sorted((e for e in log if e[2] == pid), key=lambda e: e[1])
    out, rows, last = [], [], t0
    for e in evs:
        if e[0] == "req":
            rows.append((label(e[4]), (e[1] - last) / 1e6, (e[5] - e[1]) / 1e6))
            last = max(last, e[5])
        elif e[0] == "exit":
            last = max(last, e[1])
    return rows, (t1 - last) / 1e6


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def roundtrips(sock_path, n):
    """A request's round trip through the stub from another process: HEAD /_ping on one keep-alive
    connection, and connect + ping on fresh ones (microseconds, median and p99)."""
    req = b"HEAD /_ping HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: cli-floor\r\n\r\n"

    def one(s):
        t = time.perf_counter_ns()
        s.sendall(req)
        got = b""
        while not got.endswith(b"\r\n\r\n"):
            got += s.recv(4096)
        return (time.perf_counter_ns() - t) / 1e3

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    keep = [one(s) for _ in range(n)]
    s.close()
    fresh = []
    for _ in range(n // 2):
        t = time.perf_counter_ns()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sock_path)
        one(s)
        fresh.append((time.perf_counter_ns() - t) / 1e3)
        s.close()
    return keep, fresh


def inittrace(docker, sock, env, times=5):
    """Go's package initialisers (GODEBUG=inittrace=1) in `docker version`: their summed clock time,
    when the last one ends after the process start, and the largest ones (medians of a few runs;
    the trace's own printing inflates them a little)."""
    sums, ends, per = [], [], {}
    for _ in range(times):
        r = subprocess.run([docker, "-H", "unix://" + sock, "version"], capture_output=True, text=True,
                           env=dict(env, GODEBUG="inittrace=1"))
        total, end = 0.0, 0.0
        for m in re.finditer(r"^init (\S+) @([\d.]+) ms, ([\d.]+) ms clock", r.stderr, re.M):
            pkg, at, clock = m.group(1), float(m.group(2)), float(m.group(3))
            total += clock
            end = max(end, at + clock)
            per.setdefault(pkg, []).append(clock)
        sums.append(total)
        ends.append(end)
    top = sorted(per.items(), key=lambda kv: -statistics.median(kv[1]))[:4]
    return (f"  Go package init in `docker version` (GODEBUG=inittrace=1, median of {times}): {len(per)} packages, "
            f"{statistics.median(sums):.1f} ms of clock in initialisers, the last done {statistics.median(ends):.1f} ms "
            f"after the process start\n    largest: " +
            ", ".join(f"{pkg.replace('github.com/docker/cli/vendor/', '')} {statistics.median(v):.2f} ms" for pkg, v in top))


def strace_view(docker, sock, env, tmp, tries=3):
    """`run --rm --network none` under strace, a few times, the fastest shown: on a shared machine
    one run can lose milliseconds to another process at any step."""
    best = None
    for k in range(tries):
        os.makedirs(f"{tmp}/strace{k}")
        got = strace_once(docker, sock, env, f"{tmp}/strace{k}")
        if isinstance(got, str):
            return got
        if best is None or got[0] < best[0]:
            best = got
    return best[1].replace("--seccomp-bpf (", f"--seccomp-bpf (fastest of {tries}; ", 1)


def strace_once(docker, sock, env, tmp):
    """One `run --rm --network none` under strace (one file per thread, so no call is split by
    another thread's; seccomp-bpf, so only the traced calls stop the process): the CLI-side marks
    of its phases. strace still slows the traced calls, so the shares mean more than the ms."""
    prefix = f"{tmp}/strace"
    argv = [docker, "-H", "unix://" + sock] + COMMANDS[0][1]
    t0 = time.monotonic()
    r = subprocess.run(["strace", "-ff", "-tt", "--seccomp-bpf", "-s", "200", "-o", prefix,
                        "-e", "trace=execve,connect,write,read,exit_group,openat,newfstatat"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = (time.monotonic() - t0) * 1000
    if r.returncode != 0:
        return f"  strace run failed (rc {r.returncode}): {r.stderr.decode().strip()[-300:]}"
    lines = []
    for name in os.listdir(tmp):
        if name.startswith("strace."):
            lines += open(f"{tmp}/{name}").read().splitlines()
    ts = lambda line: sum(float(x) * m for x, m in zip(line.split()[0].split(":"), (3600, 60, 1)))
    lines = sorted((l for l in lines if l[:1].isdigit()), key=ts)
    start = ts(next(l for l in lines if " execve(" in l or l.split(" ", 1)[1].startswith("execve(")))
    at = lambda l: (ts(l) - start) * 1000
    fds = {re.search(r"connect\((\d+),", l).group(1) for l in lines if "connect(" in l and sock in l}
    fd_re = "|".join(sorted(fds)) or "-"
    connect = next(l for l in lines if "connect(" in l and sock in l)
    writes = [l for l in lines if re.search(r'write\((%s), "(GET|POST|HEAD|DELETE) ' % fd_re, l)]
    reads = [l for l in lines if re.search(r'read\((%s), "HTTP/1.1 ' % fd_re, l)]
    exit_line = next(l for l in lines if "exit_group(" in l)
    before = [l for l in lines if ts(l) < ts(connect) and ("openat(" in l or "newfstatat(" in l)]
    text = [f"  `run --rm --network none` under strace -ff -tt --seccomp-bpf (wall {wall:.1f} ms with strace's own "
            f"start and end, {len(os.listdir(tmp))} threads traced):",
            f"    {0:8.2f} ms  execve", f"    {at(connect):8.2f} ms  first connect to the stub"]
    for w in writes:
        fd = re.search(r"write\((\d+),", w).group(1)
        ans = next((x for x in reads if re.search(r"read\(%s," % fd, x) and ts(x) >= ts(w)), None)
        what = label(re.search(r'"((?:GET|POST|HEAD|DELETE) \S+)', w).group(1))
        text.append(f"    {at(w):8.2f} ms  {what:42} written; answer read {(ts(ans) - ts(w)) * 1000:.2f} ms later"
                    if ans else f"    {at(w):8.2f} ms  {what:42} written")
    text.append(f"    {at(exit_line):8.2f} ms  exit_group")
    names = {}
    for l in before:
        base = os.path.basename(re.search(r'"([^"]*)"', l).group(1))
        names[base] = names.get(base, 0) + 1
    text.append(f"    before the first connect: {len(before)} file look-ups (" +
                ", ".join(f"{n} x{k}" if k > 1 else n for n, k in sorted(names.items(), key=lambda kv: -kv[1])) + ")")
    return at(exit_line), "\n".join(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--docker", default="/usr/local/bin/docker")
    ap.add_argument("--no-strace", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="berth-bench-clifloor.")
    sock = f"{tmp}/stub.sock"
    # a config dir of its own: the host's ~/.docker (contexts, plugins, credential helpers) stays out
    env = dict(os.environ, DOCKER_CONFIG=f"{tmp}/docker-config")
    for k in ("DOCKER_HOST", "DOCKER_CONTEXT", "GODEBUG", "GOGC", "GOMAXPROCS"):
        env.pop(k, None)
    os.makedirs(env["DOCKER_CONFIG"])
    stub = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", sock],
                            stdout=open(f"{tmp}/stub.log", "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 10
        while not os.path.exists(sock):
            if stub.poll() is not None or time.time() > deadline:
                sys.exit(f"cli-floor: the stub did not start (see {tmp}/stub.log)")
            time.sleep(0.01)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{subprocess.run([args.docker, '--version'], capture_output=True, text=True).stdout.strip()}"
              f" ({args.docker}); stub API {API}; {os.cpu_count()} CPUs; load average at start {load}")
        fetch_log(sock)
        print("\nrequests per command (each exits 0 against the stub; #n = connection):")
        for name, verb in COMMANDS:
            pid, t0, t1, rc, err, _ = run_once([args.docker, "-H", "unix://" + sock] + verb, env)
            if rc != 0:
                sys.exit(f"cli-floor: `docker {' '.join(verb)}` exited {rc} against the stub: {err.strip()}")
            reqs = [e for e in fetch_log(sock) if e[2] == pid and e[0] == "req"]
            print(f"  docker {name:24} " + ", ".join(f"#{e[3]} {label(e[4])}" for e in reqs))
        keep, fresh = roundtrips(sock, 400)
        print(f"\nthe stub's round trip from another process: HEAD /_ping on a kept-alive connection median "
              f"{statistics.median(keep):.0f} us (p99 {pct(keep, 99):.0f}); connect + ping median "
              f"{statistics.median(fresh):.0f} us (p99 {pct(fresh, 99):.0f})")
        fetch_log(sock)
        # references without a daemon: a process spawn, and the CLI with no connection at all
        refs = [("/bin/true (spawn floor)", ["/bin/true"]),
                ("docker --version (no daemon)", [args.docker, "--version"])]
        samples = {name: [] for name, _ in COMMANDS + refs}
        cpu = {name: [] for name, _ in COMMANDS + refs}
        runs = {name: [] for name, _ in COMMANDS}
        for i in range(args.runs + 1):  # round 0 warms the page cache and is dropped
            for name, argv in [(n, [args.docker, "-H", "unix://" + sock] + v) for n, v in COMMANDS] + refs:
                pid, t0, t1, rc, err, cpu_ms = run_once(argv, env)
                if rc != 0:
                    sys.exit(f"cli-floor: `{' '.join(argv)}` exited {rc}: {err.strip()}")
                if i:
                    samples[name].append((t1 - t0) / 1e6)
                    cpu[name].append(cpu_ms)
                    if name in runs:
                        runs[name].append((pid, t0, t1))
        log = fetch_log(sock)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"\nwall time per call, {args.runs} alternating rounds (ms; load average at the end {load}):")
        print(f"  {'':30} {'median':>8} {'min':>8} {'p90':>8} {'max':>8} {'CPU median':>11}")
        for name, xs in samples.items():
            print(f"  {name:30} {statistics.median(xs):8.2f} {min(xs):8.2f} {pct(xs, 90):8.2f} {max(xs):8.2f}"
                  f" {statistics.median(cpu[name]):11.2f}")
        ready = [(e[6] - e[1]) / 1e3 for e in log if e[0] == "req"]
        sent = [(e[5] - e[1]) / 1e3 for e in log if e[0] == "req"]
        print(f"  the stub over all {len(sent)} requests, from the request's headers complete: answer ready median "
              f"{statistics.median(ready):.0f} us (p99 {pct(ready, 99):.0f}, max {max(ready):.0f}); send returned "
              f"median {statistics.median(sent):.0f} us (p99 {pct(sent, 99):.0f}, max {max(sent):.0f})")
        print("\nwhere the time goes, median over the rounds (ms). CLI = from the spawn or the stub's previous answer "
              "until the next request is complete at the stub; stub = headers complete → answer sent:")
        for name, _ in COMMANDS:
            cut = [steps(pid, t0, t1, log) for pid, t0, t1 in runs[name]]
            shape = [r[0] for r in cut[0][0]]
            same = [c for c in cut if [r[0] for r in c[0]] == shape]
            total = statistics.median(samples[name])
            print(f"  docker {name} (median total {total:.2f}; {len(same)} of {len(cut)} runs had this sequence)")
            cli_sum = stub_sum = 0.0
            for k, what in enumerate(shape):
                gap = statistics.median(c[0][k][1] for c in same)
                st = statistics.median(c[0][k][2] for c in same)
                cli_sum += gap
                stub_sum += st
                first = " (process start, Go runtime and package init, CLI setup, connect)" if k == 0 else ""
                print(f"    CLI {gap:7.2f}  then {what}{first}; stub {st:.3f}")
            after = statistics.median(c[1] for c in same)
            print(f"    CLI {after:7.2f}  after the last answer until the process is reaped")
            print(f"    sum: CLI {cli_sum + after:.2f}, stub {stub_sum:.2f}")
        for name, _ in COMMANDS[:2]:
            tot = sorted(runs[name], key=lambda r: r[2] - r[1])
            pid, t0, t1 = tot[len(tot) // 2]
            print(f"\n  the median `docker {name}`, as the stub saw it (ms from the spawn):")
            for e in sorted((e for e in log if e[2] == pid), key=lambda e: e[1]):
                at = (e[1] - t0) / 1e6
                if e[0] == "accept":
                    print(f"    {at:8.2f}  #{e[3]} accepted")
                elif e[0] == "req":
                    print(f"    {at:8.2f}  #{e[3]} {label(e[4])} complete, answered in {(e[5] - e[1]) / 1e3:.0f} us")
                else:
                    print(f"    {at:8.2f}  #{e[3]} wait body sent (the container has exited)")
            print(f"    {(t1 - t0) / 1e6:8.2f}  process reaped")
        print()
        print(inittrace(args.docker, sock, env))
        if not args.no_strace and shutil.which("strace"):
            print()
            print(strace_view(args.docker, sock, env, tmp))
    finally:
        stub.send_signal(signal.SIGTERM)
        stub.wait()
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            Stub(sys.argv[2]).serve()
        except SystemExit:
            pass
    else:
        main()
