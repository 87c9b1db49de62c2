"""Run a task on many items in worker processes that may die without taking the batch with them.

A file can make a reader crash its whole process: a Rust allocation failure aborts (SIGABRT), a
bug in native code segfaults, the kernel kills a process that eats all memory. In-process that
ends the run; in a ``concurrent.futures.ProcessPoolExecutor`` one dead worker breaks the pool
and every file still queued fails with it, so valid neighbours are blamed.

Here every worker has its own pipe. It sends one result per item as soon as it has it, so
when a worker dies the parent knows exactly which items it had finished, and which item it
was working on. That item is run once more alone in a fresh worker: if that worker dies too,
the crash is the item's (``Crash``); the rest of the dead worker's chunk is queued again. A
worker that makes no progress for ``ITEM_TIMEOUT`` seconds is killed and treated the same way.
Workers run with a memory ceiling, so a runaway allocation fails in the worker instead of
pushing the machine into swap.

A run may also give a ``finish`` step, run in the worker on each chunk's results once all of
them are sent (validation: a batch costs little more than one return); what it returns reaches
``on_finish`` in the parent. A worker that dies while finishing has sent every result: only
the finishing is lost, and the caller does it itself.

Workers are forked where the platform allows (a fork costs a few milliseconds, the parent's
imports come for free); elsewhere they are spawned, and a run too small to pay for that
(see ``worth_a_process``) is done in-process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from nianbao.processes import FORKS

# Seconds a worker may spend on one item before it is taken for hung. Preflight bounds every
# file (100 MB, 2 million cells), which calamine reads in a few seconds.
ITEM_TIMEOUT = 300.0
# Address space a worker may add to what it inherits (reading a 2-million-cell sheet takes a
# few hundred MB).
MEMORY_BUDGET = 4 * 1024**3


@dataclass(frozen=True)
class Crash:
    """An item whose worker died twice on it: how the process ended ("SIGABRT", "超时"…)."""

    how: str


def worth_a_process(items: int, jobs: int) -> bool:
    """Whether to read in workers: always where workers are forked (cheap); where they must be
    spawned (a fresh interpreter, ~0.3 s), only when several can share the work. Never inside
    a daemonic process (multiprocessing forbids it children): there items run in-process."""
    if multiprocessing.current_process().daemon:
        return False
    return FORKS or (jobs > 1 and items >= 2 * jobs)


def run_isolated(
    task: Callable[..., Any],
    items: Sequence[Any],
    *,
    args: tuple[Any, ...] = (),
    jobs: int,
    chunk: int,
    on_result: Callable[[int, Any], None],
    on_start: Callable[[], None] | None = None,
    finish: Callable[[list[tuple[int, Any]]], Any] | None = None,
    on_finish: Callable[[Any], None] | None = None,
) -> None:
    """Call ``task(item, *args)`` for every item in worker processes.

    ``on_result(index, result)`` is called in the parent for every item, in completion order;
    ``result`` is what ``task`` returned, or a ``Crash``. ``task`` must be a module-level
    function (spawned workers import it) that does not raise. ``on_start`` runs in the parent
    once the workers are started (to overlap its own work with theirs).
    ``finish(results)``, if given, runs in the worker after each chunk, on its ``(index,
    result)`` pairs, and ``on_finish`` receives what it returns; it must be picklable and not
    raise. Items run in the parent (no process could be started) are not finished there.
    """
    pool = _Pool(task, args, max(1, min(jobs, len(items))), on_result)
    pool.finish, pool.on_finish = finish, on_finish
    pool.queue.extend(
        _Chunk(list(range(i, min(i + chunk, len(items)))), alone=False)
        for i in range(0, len(items), chunk)
    )
    pool.items = items
    try:
        pool.start()
        if on_start is not None:
            on_start()
        pool.run()
    finally:
        pool.stop()


@dataclass
class _Chunk:
    indices: list[int]
    alone: bool  # a second try of one item that a worker died on


@dataclass
class _Worker:
    process: Any
    conn: Connection
    chunk: _Chunk | None = None
    done: int = 0  # items of ``chunk`` answered (and its finish, counted as one more)
    since: float = field(default_factory=time.monotonic)  # last sign of progress


class _Pool:
    def __init__(
        self,
        task: Callable[..., Any],
        args: tuple[Any, ...],
        size: int,
        on_result: Callable[[int, Any], None],
    ) -> None:
        self.task, self.args, self.size, self.on_result = task, args, size, on_result
        self.context = multiprocessing.get_context("fork" if FORKS else "spawn")
        self.queue: deque[_Chunk] = deque()
        self.items: Sequence[Any] = ()
        self.workers: list[_Worker] = []  # started and not yet told to stop
        self.retired: list[_Worker] = []  # told to stop (or dead): joined at the end
        self.finish: Callable[[list[tuple[int, Any]]], Any] | None = None
        self.on_finish: Callable[[Any], None] | None = None

    def _answers(self, chunk: _Chunk) -> int:
        """Messages a chunk's worker sends: one per item, and its finish."""
        return len(chunk.indices) + (self.finish is not None)

    def start(self) -> None:
        for _ in range(min(self.size, len(self.queue))):
            self._start_one()

    def _start_one(self) -> None:
        """A fresh worker with the next chunk; without workers (the system refuses to start
        a process) the chunk is done here, unprotected, rather than not at all."""
        try:
            worker = self._spawn()
        except OSError:
            chunk = self.queue.popleft()
            for index in chunk.indices:
                self.on_result(index, self.task(self.items[index], *self.args))
            return
        self._assign(worker)

    def _spawn(self) -> _Worker:
        parent, child = self.context.Pipe()
        # A forked worker inherits the parent's ends of every pipe: it closes them, so that each
        # worker sees the end of its own pipe when the parent goes away.
        inherited = [parent, *(w.conn for w in self.workers)] if FORKS else []
        process = self.context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child, inherited, self.task, self.args, self.finish),
            daemon=True,
            name="nianbao-reader",
        )
        try:
            with warnings.catch_warnings(), _stop_signals_held():
                # Python 3.12+ warns about forking once pandas has started threads; the worker
                # only reads files and never touches those threads' state.
                warnings.simplefilter("ignore", DeprecationWarning)
                process.start()
        finally:
            child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def _assign(self, worker: _Worker) -> None:
        if not self.queue:
            worker.chunk = None
            self._retire(worker)
            return
        worker.chunk, worker.done = self.queue.popleft(), 0
        worker.since = time.monotonic()
        try:
            worker.conn.send([(i, self.items[i]) for i in worker.chunk.indices])
        except (BrokenPipeError, ConnectionResetError, EOFError, OSError):
            self._died(worker, "启动失败")

    def run(self) -> None:
        while any(w.chunk is not None for w in self.workers):
            busy = [w for w in self.workers if w.chunk is not None]
            handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
            timeout = max(0.0, min(w.since for w in busy) + ITEM_TIMEOUT - time.monotonic())
            ready = set(wait(handles, timeout=timeout))
            for worker in busy:
                if worker.conn in ready:
                    self._receive(worker)
                elif worker.process.sentinel in ready:
                    self._receive(worker, drain=True)  # what it sent before dying, then the death
                    if worker.chunk is not None:
                        self._died(worker, _how_it_ended(worker.process))
                elif time.monotonic() - worker.since >= ITEM_TIMEOUT:
                    worker.process.kill()
                    worker.process.join()
                    self._died(worker, "超时")

    def _receive(self, worker: _Worker, *, drain: bool = False) -> None:
        """One message of a worker whose pipe is ready (``wait`` says so again while there is
        more); with ``drain``, every message it sent (it died: nothing more will come).
        Connection.poll sets up a selector as ``wait`` does: draining a live worker with it
        took two more per file, 0.16 s of this process's CPU for 10,000 files, taken from
        the workers beside it."""
        while worker.chunk is not None:
            try:
                if drain and not worker.conn.poll():
                    return
                index, result = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join()
                self._died(worker, _how_it_ended(worker.process))
                return
            worker.done += 1
            worker.since = time.monotonic()
            if index == _FINISHED:
                if self.on_finish is not None:
                    self.on_finish(result)
            else:
                self.on_result(index, result)
            if worker.done == self._answers(worker.chunk):
                self._assign(worker)
            if not drain:
                return

    def _died(self, worker: _Worker, how: str) -> None:
        chunk = worker.chunk
        assert chunk is not None
        worker.chunk = None
        self._retire(worker)
        if worker.done >= len(chunk.indices):  # every result sent: it died finishing them
            if self.queue:
                self._start_one()
            return
        culprit, rest = chunk.indices[worker.done], chunk.indices[worker.done + 1 :]
        if rest:
            self.queue.appendleft(_Chunk(rest, alone=False))
        if chunk.alone:
            self.on_result(culprit, Crash(how))
        else:
            self.queue.appendleft(_Chunk([culprit], alone=True))
        if self.queue:
            self._start_one()

    def _retire(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.conn.send(None)
        with contextlib.suppress(OSError):
            worker.conn.close()
        self.workers.remove(worker)
        self.retired.append(worker)

    def stop(self) -> None:
        """End every worker: retired ones exit by themselves; busy ones (the run was
        interrupted) are terminated."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.process.terminate()
            with contextlib.suppress(OSError):
                worker.conn.close()
        deadline = time.monotonic() + 2.0
        for worker in [*self.workers, *self.retired]:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


def _how_it_ended(process: Any) -> str:
    process.join()
    code = process.exitcode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-code).name
    return f"退出码 {code}"


_FINISHED = -1  # the index of a chunk's finish message
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_MASKS = hasattr(signal, "pthread_sigmask")  # POSIX; Windows spawns fresh interpreters


@contextlib.contextmanager
def _stop_signals_held():
    """Hold Ctrl-C and SIGTERM while a worker is started: the worker inherits the held mask
    and releases it only once it has its own handlers (``_worker_main``), so a stop in between
    cannot run the parent's handler in the worker (a KeyboardInterrupt and its traceback).
    The parent receives a stop that came meanwhile as soon as the worker is started."""
    if not _MASKS:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_main(
    conn: Connection,
    inherited: list[Connection],
    task: Callable[..., Any],
    args: tuple,
    finish: Callable[[list[tuple[int, Any]]], Any] | None = None,
) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _MASKS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # held by _stop_signals_held
    for other in inherited:
        with contextlib.suppress(OSError):
            other.close()
    _silence_stderr()
    _limit_memory()
    while True:
        try:
            work = conn.recv()
        except (EOFError, OSError):
            return
        if work is None:
            return
        results = []
        for index, item in work:
            result = task(item, *args)
            if finish is not None:
                results.append((index, result))
            try:
                conn.send((index, result))
            except (BrokenPipeError, ConnectionResetError, OSError):
                return
        if finish is not None:
            try:
                conn.send((_FINISHED, finish(results)))
            except (BrokenPipeError, ConnectionResetError, OSError):
                return


def _silence_stderr() -> None:
    """What a crashing library prints on its way out ("memory allocation of … failed", a Rust
    panic) is not for the user: the parent reports the crash in Chinese."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # no /proc: leave the limit to the system
    ceiling = in_use + MEMORY_BUDGET
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if soft == resource.RLIM_INFINITY or soft > ceiling:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
