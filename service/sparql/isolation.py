"""Run queries in forked child processes that can be killed at a deadline.

Neither Oxigraph nor rdflib can cancel a running query, and deep nesting can crash a parser,
so every ad-hoc query runs in a child forked from the serving process (the store is shared
copy-on-write). The parent waits on a pipe; at the deadline it SIGKILLs the child and forks a
fresh one, so the next query is served at once. The pool is the endpoint's capacity: when every
child is busy, a query is refused at once (Busy) rather than held in a server thread. Children
are forked lazily in each serving process (never in the server's master), close the server's
sockets, run only on CPU time the serving threads leave (SCHED_IDLE), leave when their parent
does, ignore the server's signals and, for the embedded store, lose the network before their
first query (a seccomp filter, which needs no root: see seccomp.py). A child that cannot lose
it answers every job with Unisolated.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any

from .seccomp import Unsupported, deny_network

Task = Callable[[Any], Any]


class Timeout(Exception):
    """The query did not finish before the deadline; its child was killed."""


class Crashed(Exception):
    """The child died while running the query (for example a parser crash)."""


class Busy(Exception):
    """Every query process of this serving process is running a query."""


class Unisolated(Exception):
    """The child could not take the network away from itself, so it runs no query."""


@dataclass
class Child:
    pid: int
    conn: Connection


def _close_inherited(keep: int) -> None:
    """Close the server's sockets in the child, so a closed connection really closes."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd != keep:
            try:
                os.close(fd)
            except OSError:  # the directory listing's own descriptor, already gone
                pass


def _lower_priority() -> None:
    """Run only on CPU time the serving threads leave (SCHED_IDLE; nice 19 where refused)."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(19)


def _isolate(offline: bool) -> str | None:
    """In the child: default signals, the idle CPU class and, when asked, no network; why not,
    if it failed."""
    _lower_priority()
    for sig in (
        signal.SIGTERM,
        signal.SIGINT,
        signal.SIGHUP,
        signal.SIGQUIT,
        signal.SIGUSR1,
        signal.SIGUSR2,
        signal.SIGCHLD,
        signal.SIGWINCH,
        signal.SIGTTIN,
        signal.SIGTTOU,
    ):
        signal.signal(sig, signal.SIG_DFL)
    if offline:
        try:
            deny_network()
        except (Unsupported, OSError) as exc:
            return str(exc)
    return None


def _serve(conn: Connection, task: Task, parent: int, refusal: str | None) -> None:
    # PR_SET_PDEATHSIG would fire when the forking *thread* ends (a request thread), so the
    # child instead leaves when the pipe closes or the parent process is gone.
    while True:
        try:
            if not conn.poll(1.0):
                if os.getppid() != parent:
                    return
                continue
            job = conn.recv()
        except (EOFError, OSError):
            return
        if refusal is not None:
            conn.send(("unisolated", refusal))
            continue
        try:
            conn.send(("ok", task(job)))
        except Exception as exc:  # noqa: BLE001 - a bug must reach the parent, not kill the child
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class Runner:
    """A small pool of killable children for one serving process."""

    def __init__(self, task: Task, size: int = 2, offline: bool = True) -> None:
        self.task, self.size, self.offline = task, size, offline
        self.idle: list[Child] = []
        self.owner = -1
        self.lock = threading.Lock()

    def _fork(self) -> Child:
        parent, child = Pipe()
        parent_pid = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child
            try:
                parent.close()
                _close_inherited(child.fileno())
                _serve(child, self.task, parent_pid, _isolate(self.offline))
            finally:
                os._exit(0)
        child.close()
        return Child(pid, parent)

    def _ensure(self) -> None:
        if self.owner != os.getpid():  # first use in this process, or after a fork
            self.owner = os.getpid()
            self.idle = [self._fork() for _ in range(self.size)]

    def _retire(self, child: Child) -> None:
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(child.pid, 0)
        child.conn.close()

    def run(self, job: Any, deadline: float) -> Any:
        """Run one job within `deadline` seconds; raise Busy at once when every child is in
        use (waiting would hold a server thread), Timeout or Crashed, or the job's error."""
        end = time.monotonic() + deadline
        with self.lock:
            self._ensure()
            if not self.idle:
                raise Busy()
            child = self.idle.pop()
        try:
            child.conn.send(job)
            if not child.conn.poll(max(0.0, end - time.monotonic())):
                self._retire(child)
                child = self._fork()
                raise Timeout()
            status, value = child.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(child)
            child = self._fork()
            raise Crashed() from None
        finally:
            with self.lock:
                self.idle.append(child)
        if status == "unisolated":
            raise Unisolated(value)
        if status == "error":
            raise RuntimeError(value)
        return value
