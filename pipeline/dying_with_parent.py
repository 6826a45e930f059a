"""A process that the kernel kills when the process that started it dies, however it dies:
even killed outright (SIGKILL), which no handler of its own sees.

Run as a script, `python dying_with_parent.py PARENT_PID PROGRAM [ARGUMENT...]` (as `pdf` runs
LibreOffice), it asks for that, then becomes the program. A process forked by the pipeline
(`forked`) calls `dies_with` itself. Linux's prctl(PR_SET_PDEATHSIG) asks for the signal, and
it lasts through exec; where prctl is unavailable the process runs all the same. As a script,
run before the program replaces it, it imports nothing of the pipeline.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def dies_with(parent: int) -> bool:
    """Ask the kernel to kill this process when `parent` dies; whether `parent` is still alive
    (when it is not, it died before the kernel would have told)."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    except (OSError, AttributeError):  # no prctl: the process runs as the parent started it
        pass
    return os.getppid() == parent


def main(argv: list[str]) -> None:
    parent, program = int(argv[0]), argv[1]
    if not dies_with(parent):
        sys.exit(1)
    os.execv(program, argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
