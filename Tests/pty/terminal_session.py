"""Runs a command on a pseudo-terminal as a person at a terminal would, for the tests of
`tandem exec -it`: types each --send text once the output holds the --until text before it,
then waits for the command to end. Prints one JSON object: the command's exit code, everything
the terminal showed, whether the terminal was in raw mode (no echo) once the first --until text
had come, and whether its settings after the command are those it had before.

    python3 terminal_session.py --until '$ ' --send 'echo hi\r' --until hi --send 'exit 5\r' -- tandem exec ...
"""

import argparse
import fcntl
import json
import os
import select
import subprocess
import sys
import termios
import time

DEADLINE_SECONDS = 30


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--until", action="append", default=[], help="wait until the output holds this text")
    parser.add_argument("--send", action="append", default=[], help="then type this (escapes: \\r, \\n)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    arguments = parser.parse_args()
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command
    if len(arguments.until) != len(arguments.send):
        sys.exit("give as many --until as --send")

    main_end, terminal = os.openpty()
    before = termios.tcgetattr(terminal)

    def controlling_terminal():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, preexec_fn=controlling_terminal)
    shown = b""
    raw = None

    def read_until(done):
        nonlocal shown
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            ready, _, _ = select.select([main_end], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(main_end, 4096)
            except OSError:
                return done()
            if not chunk:
                return done()
            shown += chunk
        return True

    for until, text in zip(arguments.until, arguments.send):
        if not read_until(lambda: until.encode() in shown):
            child.kill()
            break
        if raw is None:
            raw = not (termios.tcgetattr(terminal)[3] & termios.ECHO)
        os.write(main_end, text.encode().decode("unicode_escape").encode())
    try:
        status = child.wait(timeout=DEADLINE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        status = child.wait()
    # What the command printed last, until its terminal has nothing more.
    while select.select([main_end], [], [], 0)[0]:
        try:
            chunk = os.read(main_end, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    after = termios.tcgetattr(terminal)
    print(json.dumps({"status": status, "output": shown.decode("utf-8", "replace"), "raw": raw, "restored": before == after}))


if __name__ == "__main__":
    main()
