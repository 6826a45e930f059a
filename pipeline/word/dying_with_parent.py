"""Start a program that the kernel kills when the process that started it dies, however it
dies: even killed outright (SIGKILL), which no handler of its own sees.
`python dying_with_parent.py PARENT_PID PROGRAM [ARGUMENT...]`, run by `pdf` for LibreOffice.

Linux's prctl(PR_SET_PDEATHSIG) asks for the signal and lasts through exec, so this asks for
it, then becomes the program. Where prctl is unavailable the program runs all the same. Run as
a plain script, before the program replaces it: it imports nothing of the pipeline.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv: list[str]) -> None:
    parent, program = int(argv[0]), argv[1]
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    except (OSError, AttributeError):  # no prctl: the program runs as the parent would start it
        pass
    if os.getppid() != parent:  # the parent died before the kernel would have told
        sys.exit(1)
    os.execv(program, argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
