"""Calling libraries whose synchronous API runs ``asyncio.run()`` (pyHanko's signing and validation).

``asyncio.run()`` refuses to start while an event loop is running in the calling thread: in an
async view, or in a process where Playwright's synchronous API is active (the browser tests share
worker processes with the other tests). There the call is made in a short-lived worker thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def call_outside_event_loop(function: Callable[..., T], /, *args, **kwargs) -> T:
    """``function(*args, **kwargs)``, in another thread when this one runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="zt-sync") as pool:
        return pool.submit(function, *args, **kwargs).result()
