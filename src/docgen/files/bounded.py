"""Work on untrusted input with a time and memory budget: a hang or a blow-up becomes a clear error.

``call`` runs a function in a forked child process with its own process group, an address-space
limit (RLIMIT_AS) and a CPU-time limit, and waits for it no longer than the budget's wall time;
a child over its time is killed with its whole group (so anything it started dies with it), a
child out of memory reports it. Third-party readers (pdfminer, pypdf, zipfile) can loop, recurse
or inflate without bound on a hostile file; a budget bounds them all, whatever the cause.

Forking keeps the overhead to a few milliseconds (the child inherits every loaded module). The
function and its arguments need not be picklable; its result and exceptions travel back pickled.
``start`` is ``call`` without the wait: several bounded children can work at once.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Generic, TypeVar

from docgen.errors import DocgenError, SourceError, SourceLocation
from docgen.i18n import _
from docgen.limits import MiB

T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    seconds: float  # wall time, measured by the parent
    memory_bytes: int  # address space the child may add to what it inherits

    def scaled(self, size: int, seconds_per_mib: float, memory_per_byte: int) -> Budget:
        """This budget plus an allowance for an input of ``size`` bytes (a bounded multiple of its size)."""
        return Budget(self.seconds + seconds_per_mib * size / MiB, self.memory_bytes + memory_per_byte * size)


# No bound in practice (a day, a terabyte): for a child that only works beside its parent on the
# parent's own trusted data (a document's formats rendered at once), not on untrusted input.
UNBOUNDED = Budget(seconds=24 * 3600, memory_bytes=1 << 40)


def call(function: Callable[..., T], *args: Any, budget: Budget, failure: str) -> T:
    """``function(*args)`` run in a child within ``budget``; its exceptions are raised here.

    ``failure`` begins the DocgenError raised when the budget runs out, e.g. "x.pdf: too complex
    to check"; the rest says which limit ("took more than 30 s", "needed more than 512 MB").
    """
    return start(function, *args, budget=budget, failure=failure).result()


def start(function: Callable[..., T], *args: Any, budget: Budget, failure: str) -> Running[T]:
    """``function(*args)`` started in a child within ``budget``, not waited for: several run at
    once (the pages of one PDF read on every core). Its wall time counts from now; close() (or
    leaving it as a context manager) kills it if its result was not asked for."""
    return Running(function, args, budget, failure)


class Running(Generic[T]):
    """A function running in a bounded child process (see start)."""

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...], budget: Budget, failure: str) -> None:
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._child = context.Process(target=_child, args=(sender, budget, function, args))
        self._child.start()
        sender.close()
        with contextlib.suppress(OSError):  # the child does the same; whichever runs first wins
            os.setpgid(self._child.pid, self._child.pid)
        self._deadline = time.monotonic() + budget.seconds
        self._budget, self._failure = budget, failure

    def __enter__(self) -> Running[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def result(self) -> T:
        """Its value, or its exception raised here; a DocgenError once its budget runs out."""
        failure, budget = self._failure, self._budget
        try:
            if not self._receiver.poll(max(0.0, self._deadline - time.monotonic())):
                raise DocgenError(
                    _("{failure}: took more than {seconds:.0f} s").format(failure=failure, seconds=budget.seconds)
                )
            try:
                kind, value = self._receiver.recv()
            except EOFError:  # it died without a word: killed by the kernel or crashed in C code
                self._child.join()
                reason = _death(self._child.exitcode)
                raise DocgenError(_("{failure}: {reason}").format(failure=failure, reason=reason)) from None
        finally:
            self.close()
        if kind == "memory":
            memory = _("{failure}: needed more than {megabytes:,} MB of memory")
            raise DocgenError(memory.format(failure=failure, megabytes=budget.memory_bytes // MiB))
        if kind == "error":
            raise _rebuilt(*value)
        return value

    def close(self) -> None:
        """The child killed with its group (if still running) and reaped; safe to call again."""
        if self._receiver.closed:
            return
        kill_group(self._child.pid)
        self._child.join()
        self._receiver.close()


def kill_group(pid: int) -> None:
    """Kill process group ``pid`` (a child made leader of its own group) and everything in it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def limit_child(budget: Budget) -> None:
    """In a child process: its own process group, and limits that hold even if the parent is gone.

    ``call`` runs it first thing in its child. It also serves as the ``preexec_fn`` of a program run
    with subprocess (then ``kill_group(process.pid)`` on timeout); the address-space limit then
    counts from the size of the process that forked, a looser bound once the program is exec'd.
    """
    os.setpgid(0, 0)
    cpu = math.ceil(budget.seconds) + 1  # a backstop: the parent's wall-time limit normally comes first
    _lower_limit(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU at the soft limit, SIGKILL a second later
    inherited = _address_space()
    if inherited:
        limit = inherited + budget.memory_bytes
        _lower_limit(resource.RLIMIT_AS, limit, limit)


def _lower_limit(which: int, soft: int, hard: int) -> None:
    """Set the limits ``which`` to ``soft`` and ``hard``, or keep the ones this process inherited where
    they are lower: a bounded child's own bounded child (a check run by `docgen serve`'s job) may not
    raise them."""
    _inherited_soft, inherited_hard = resource.getrlimit(which)
    if inherited_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, inherited_hard), min(hard, inherited_hard)
    resource.setrlimit(which, (soft, hard))


def _child(sender: Connection, budget: Budget, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    limit_child(budget)
    try:
        outcome: tuple[str, Any] = ("value", function(*args))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as error:  # every exception goes back to the caller
        if not isinstance(error, DocgenError):  # a bug: keep where it happened, for its report
            error.add_note("".join(traceback.format_exception(error)).rstrip())
        outcome = ("error", _portable(error))
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", None))


def _portable(error: BaseException) -> tuple[bool, str, list[str], tuple[str, int, int, str] | None]:
    """What of ``error`` crosses back: whether it is a DocgenError, its message, its notes, and where in
    a source a SourceError is (path, line, column, message). Plain data, not the exception: how an
    exception pickles depends on hooks a library may install (tblib's, which Dask installs, pickles
    causes and tracebacks, and fails on one 100,000 frames deep), and some exception classes cannot be
    rebuilt at all."""
    if isinstance(error, SourceError):
        where = error.location
        return True, str(error), [], (str(where.path), where.line, where.column, error.message)
    if isinstance(error, DocgenError):
        return True, str(error), [], None
    return False, f"{type(error).__name__}: {error}", list(getattr(error, "__notes__", ())), None


def _rebuilt(
    is_docgen_error: bool, message: str, notes: list[str], located: tuple[str, int, int, str] | None
) -> Exception:
    """The child's error as the caller sees it: a SourceError still at its place, another DocgenError as
    such, any other as a RuntimeError."""
    if located:
        path, line, column, said = located
        return SourceError(SourceLocation(Path(path), line, column), said)
    error: Exception = DocgenError(message) if is_docgen_error else RuntimeError(message)
    for note in notes:
        error.add_note(note)
    return error


def _address_space() -> int:
    """Bytes of address space this process has mapped (Linux); 0 where /proc can't tell, and no memory limit."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


def _death(exitcode: int | None) -> str:
    """Why a child ended without an answer, from its exit code (a negative one is the signal that killed it)."""
    if exitcode == -signal.SIGXCPU:
        return _("used up its CPU time")
    if exitcode is not None and exitcode < 0:
        return _("the worker process crashed ({signal})").format(signal=signal.strsignal(-exitcode) or -exitcode)
    return _("the worker process ended without an answer (exit status {status})").format(status=exitcode)
