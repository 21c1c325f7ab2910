"""Work beside the main process, in a forked copy of it: its inputs need no pickling.

The build uses it for output stages that can run side by side once the corpus is resolved
(GraphML and HTML next to the RDF, half of the Turtle next to the other half) when the
user gave it more than one worker.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from kg.errors import KgError

T = TypeVar("T")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Forked(Generic[T]):
    """``function(*args)`` started in a forked process; `result` waits for it. Without fork
    (Windows) it runs at once, in this process."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self._done: tuple[T] | None = None
        if not can_fork():
            self._done = (function(*args),)
            return
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_and_send, args=(writer, function, args), daemon=True)
        self._process.start()
        writer.close()

    def result(self) -> T:
        """Its return value; its exception raised here."""
        if self._done is not None:
            return self._done[0]
        try:
            ok, value = self._reader.recv()
        except EOFError:
            ok, value = False, KgError(f"a build process died (exit code {self._process.exitcode}); build again")
        self._process.join()
        if not ok:
            raise value
        return cast(T, value)


def _run_and_send(writer: Any, function: Callable[..., object], args: tuple[object, ...]) -> None:
    try:
        outcome: tuple[bool, object] = (True, function(*args))
    except Exception as error:  # sent to the parent, which raises it
        outcome = (False, error)
    writer.send(outcome)
    writer.close()
