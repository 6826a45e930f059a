"""Work done in a forked child process while this one does its own, the child's result sent
back through a pipe, pickled: the machine's second core put to use on a large workbook.

A fork is taken only on POSIX, with a second core, and only in a process that runs no other
thread (`can_fork`). A fork copies the one thread that calls it: a lock another thread held at that moment (in the
allocator, in a library, in logging) stays held in the child for good, and the child could
hang on it or find half-changed state. A process with threads running (pytest-xdist's workers,
a library caller's own) does the work itself.

The child ends with its parent however the parent ends: on an exception, Ctrl-C or SIGTERM
the parent kills it and waits for it (`Child.end`), so that no zombie is left; killed outright
(SIGKILL), which no handler sees, the kernel kills the child too (`dying_with_parent`). A
child that dies without a result is reported, never waited for in vain.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Result = TypeVar("Result")

# From this many statements, the work a build or a validation hands a child (the statements'
# wording checked, the snapshot made, the footnotes made: some 0.1 s each at 6,000 statements,
# about a second at 60,000) pays for starting one; at 1,000 the fork costs what it saves.
BESIDE_FROM_STATEMENTS = 3_000


def can_fork() -> bool:
    """Whether a child may be forked here to work beside this process: on POSIX, with a core
    of its own to run on, and no thread but this one."""
    return hasattr(os, "fork") and cores() > 1 and _threads() == 1


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _threads() -> int:
    """The threads this process runs: every one on Linux, including those a library started
    in C; elsewhere those Python started."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


class ChildDied(Exception):
    """The child ended without sending its result: killed (the machine out of memory, say) or crashed."""


class Child(Generic[Result]):
    """`work` run in a forked child from the moment this is made (OSError if the system
    will not fork). `result` gives what it returned, or raises what it raised; `end` kills it
    if it still runs and waits for it. Whoever makes one calls `end` however it goes on, in a
    `finally`."""

    def __init__(self, work: Callable[[], Result]):
        results, sent = os.pipe()
        parent = os.getpid()
        try:
            self.pid = os.fork()
        except OSError:  # no process to be had: the caller does the work itself
            os.close(results)
            os.close(sent)
            raise
        if self.pid == 0:  # the child: never returns to the caller's code
            os.close(results)
            _run(work, sent, parent)
        os.close(sent)
        self._results = os.fdopen(results, "rb")
        self._ended = False

    def result(self) -> Result:
        """What `work` returned, once the child sends it; raises what `work` raised, or
        ChildDied when the child ended without sending either."""
        import pickle  # here, as in the child: a run that forks no child loads no pickling

        try:
            with self._results:
                succeeded, outcome = pickle.load(self._results)
        except (EOFError, pickle.UnpicklingError):
            raise ChildDied(f"the process forked to work beside this one ended without its result ({self._ending()})") from None
        if not succeeded:
            raise outcome
        return outcome

    def end(self) -> None:
        """The child killed if it still runs, and waited for."""
        self._results.close()
        if not self._ended:
            os.kill(self.pid, signal.SIGKILL)
            self._ending()

    def _ending(self) -> str:
        """How the child ended, waited for: by which signal, or with which exit status."""
        _, status = os.waitpid(self.pid, 0)
        self._ended = True
        if os.WIFSIGNALED(status):
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        return f"exit status {os.WEXITSTATUS(status)}"


@contextmanager
def beside(work: Callable[[], Result], wanted: bool) -> Iterator[Callable[[], Result]]:
    """`work` done in a forked child while the caller goes on, where it is `wanted` and a
    child may be had; else done by the caller when it first asks. Gives what gives `work`'s
    result (or raises what it raised), as often as it is asked; the child is ended however the
    block ends."""
    child: Child[Result] | None = None
    if wanted and can_fork():
        try:
            child = Child(work)
        except OSError:  # no second process to be had: the caller does the work
            child = None
    made: list[Result] = []

    def result() -> Result:
        if not made:
            made.append(child.result() if child is not None else work())
        return made[0]

    try:
        yield result
    finally:
        if child is not None:
            child.end()


def _run(work: Callable[[], object], sent: int, parent: int) -> None:
    """The child's whole life: `work` done, its outcome pickled down the pipe, then exit, never
    returning into the parent's code, its `finally` blocks or its exit handlers (which would
    flush the parent's buffered output a second time)."""
    status = 1
    try:
        import pickle

        # Ctrl-C signals the whole process group: the parent hears it, and ends the child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from .dying_with_parent import dies_with  # here: only a child loads ctypes

        if dies_with(parent):
            try:
                outcome = pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                outcome = pickle.dumps((False, sendable(exc)), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(sent, "wb") as pipe:
                pipe.write(outcome)
            status = 0
    finally:
        os._exit(status)


def sendable(exc: Exception) -> Exception:
    """`exc`, or where it would not come through pickling whole (an exception whose arguments
    are not what it was made with), one that says the same."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc, pickle.HIGHEST_PROTOCOL))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
