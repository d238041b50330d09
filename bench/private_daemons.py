"""dockerd and berthd started privately for one bench run: own data root, exec root, pid file and
socket under the run's temp dir, so the host's own daemons are never touched. Shared by
daemon_api.py and images.py."""
import os
import shutil
import signal
import subprocess
import sys
import time


def start_dockerd(tmp):
    """dockerd 20.10 from Debian, no bridge or firewall rules; it starts a containerd of its own."""
    sock = f"{tmp}/docker.sock"
    proc = subprocess.Popen(
        ["dockerd", "--data-root", f"{tmp}/docker", "--exec-root", f"{tmp}/dexec",
         "-H", "unix://" + sock, "--pidfile", f"{tmp}/docker.pid", "--bridge=none",
         "--iptables=false", "--ip6tables=false"],
        stdout=open(f"{tmp}/dockerd.log", "w"), stderr=subprocess.STDOUT)
    return proc, sock


def start_berthd(repo, tmp):
    """berthd without a default bridge, as dockerd here: nothing of the host's network changes."""
    sock = f"{tmp}/berth.sock"
    # an empty daemon.json keeps the host's /etc/berth/daemon.json out (a named file must exist)
    with open(f"{tmp}/daemon.json", "w") as f:
        f.write("{}")
    proc = subprocess.Popen(
        [f"{repo}/bin/berthd", "--data-root", f"{tmp}/berth", "--exec-root", f"{tmp}/bexec",
         "-H", "unix://" + sock, "--pidfile", f"{tmp}/berth.pid", "--config-file", f"{tmp}/daemon.json",
         "--bridge", "none"],
        stdout=open(f"{tmp}/berthd.log", "w"), stderr=subprocess.STDOUT)
    return proc, sock


def wait_for_socket(path, proc, seconds=60):
    """Until `docker version` answers on the socket; exits the bench if the daemon dies or stalls."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path):
            if subprocess.run(["docker", "-H", "unix://" + path, "version"], capture_output=True).returncode == 0:
                return
        if proc.poll() is not None:
            sys.exit(f"daemon exited early with {proc.returncode}")
        time.sleep(0.2)
    sys.exit(f"daemon socket {path} did not answer within {seconds}s")


def stop_all(procs, tmp):
    """SIGTERM to each process still running (SIGKILL after 30 s), then the temp dir goes."""
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    subprocess.run(["umount", "-R", f"{tmp}/docker"], stderr=subprocess.DEVNULL)
    shutil.rmtree(tmp, ignore_errors=True)
