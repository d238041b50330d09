#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal of a given size, as a user at a terminal would.

pty_run.py ROWS COLS [STEP...] -- COMMAND [ARG...]
A STEP is "expect:TEXT" (wait until TEXT appeared in the output, 30 s at most) or
"send:TEXT" (type TEXT; \\xNN escapes allowed, e.g. send:\\x10\\x11 for ctrl-p ctrl-q)
or "resize:ROWS:COLS" (the terminal changes size: the command gets SIGWINCH).
The command's output goes to stdout as it was received; the exit status is the command's
(128+N for signal N); 124 when an expect timed out.
"""
import fcntl, os, pty, select, struct, sys, termios, time

def main():
    rows, cols = int(sys.argv[1]), int(sys.argv[2])
    sep = sys.argv.index("--")
    steps, command = sys.argv[3:sep], sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    seen = b""
    def pump(timeout):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        seen += data
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return True
    status = None
    for step in steps:
        kind, _, text = step.partition(":")
        if kind == "expect":
            deadline = time.time() + 30
            while text.encode() not in seen:
                if time.time() > deadline or not pump(0.1):
                    if text.encode() not in seen:
                        os.kill(pid, 9)
                        os.waitpid(pid, 0)
                        sys.exit(124)
        elif kind == "send":
            os.write(fd, text.encode().decode("unicode_escape").encode("latin-1"))
        elif kind == "resize":
            r, c = text.split(":")
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", int(r), int(c), 0, 0))
        elif kind == "sleep":
            time.sleep(float(text))
    deadline = time.time() + 60
    while pump(0.2) and time.time() < deadline:
        pass
    _, st = os.waitpid(pid, 0)
    sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))

main()
