#!/usr/bin/env python3
"""Runs a command under a pseudo-terminal and drives it: steps are
expect:TEXT  send:TEXT (python escapes)  resize:ROWSxCOLS  sleep:SECS  eof
Prints everything read; exits with the command's exit code (or 99 on an expect timeout)."""
import os, pty, sys, select, time, fcntl, termios, struct, signal

def setsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

argv_end = sys.argv.index("--")
steps = sys.argv[1:argv_end]
cmd = sys.argv[argv_end + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
setsize(fd, 24, 80)
os.kill(pid, signal.SIGWINCH)
buf = b""
def read_some(timeout):
    global buf
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        buf += data
        sys.stdout.buffer.write(data); sys.stdout.flush()
    return True
for step in steps:
    kind, _, arg = step.partition(":")
    if kind == "expect":
        want = arg.encode().decode("unicode_escape").encode()
        deadline = time.time() + 20
        while want not in buf:
            if time.time() > deadline or not read_some(0.2) and want not in buf:
                if time.time() > deadline:
                    print("\n[ptyrun] timeout waiting for %r" % want, file=sys.stderr)
                    os.kill(pid, signal.SIGKILL)
                    sys.exit(99)
        buf = buf[buf.index(want) + len(want):]
    elif kind == "send":
        os.write(fd, arg.encode().decode("unicode_escape").encode())
    elif kind == "resize":
        rows, cols = map(int, arg.split("x"))
        setsize(fd, rows, cols)
        os.kill(pid, signal.SIGWINCH)
    elif kind == "sleep":
        time.sleep(float(arg))
deadline = time.time() + 20
while time.time() < deadline:
    if not read_some(0.2):
        break
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        while read_some(0.1):
            pass
        print("\n[ptyrun] exit %d" % os.waitstatus_to_exitcode(status), file=sys.stderr)
        sys.exit(os.waitstatus_to_exitcode(status))
p, status = os.waitpid(pid, 0)
print("\n[ptyrun] exit %d" % os.waitstatus_to_exitcode(status), file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
