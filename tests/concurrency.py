"""Several users doing the same thing at the same moment, for the race tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def at_once[T](work: Callable[[T], None], inputs: Sequence[T]) -> None:
    """`work(item)` for every item, each in its own thread on its own database
    connection, all released together; returns when every one has finished."""
    start = threading.Barrier(len(inputs))

    def run(item: T) -> None:
        try:
            start.wait()
            work(item)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
