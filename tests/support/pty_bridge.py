#!/usr/bin/env python3
"""pty_bridge.py ROWS COLS COMMAND [ARGS...]: runs COMMAND on a new
pseudo-terminal of ROWS x COLS and bridges it to plain pipes: what comes on
stdin is typed on the terminal, what the terminal shows goes to stdout,
byte for byte. Exits with COMMAND's status (128+N when signal N ended it).

The scenario tests (tests/src/terminal.rs) drive interactive sessions
through it: Rust keeps the logic (expect, timeouts), Python's pty module
only supplies the terminal, so the tests need no native dependency.
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios


def main():
    rows, cols, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    pid, master = pty.fork()
    if pid == 0:
        # The child's stdin is the terminal: size it before the command starts.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvp(argv[0], argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    stdin_open = True
    while True:
        watched = [master] + ([0] if stdin_open else [])
        ready, _, _ = select.select(watched, [], [])
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                data = b""
            if not data:
                break
            os.write(1, data)
        if 0 in ready:
            data = os.read(0, 65536)
            if data:
                os.write(master, data)
            else:
                stdin_open = False
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sys.exit(128 + os.WTERMSIG(status))
    sys.exit(os.WEXITSTATUS(status))


if __name__ == "__main__":
    main()
