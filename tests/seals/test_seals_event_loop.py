"""pyHanko's synchronous API runs asyncio.run(): sealing must also work where an event loop runs
(an async view, or a test process where Playwright's synchronous API is active)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import pytest

from zhengtong.core.asyncsafe import call_outside_event_loop


async def _answer() -> int:
    return 42


def _in_a_fresh_thread(function):
    """Run ``function`` in a new thread, which has no event loop of its own yet."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def test_a_call_that_runs_asyncio_works_inside_a_running_event_loop():
    async def inside_a_loop():
        direct = _answer()
        with pytest.raises(RuntimeError, match="running event loop"):
            asyncio.run(direct)  # what pyHanko does, called directly
        direct.close()
        return call_outside_event_loop(asyncio.run, _answer())

    assert _in_a_fresh_thread(lambda: asyncio.run(inside_a_loop())) == 42


def test_outside_an_event_loop_the_call_is_made_in_the_calling_thread():
    def scenario():
        return call_outside_event_loop(threading.get_ident) == threading.get_ident()

    assert _in_a_fresh_thread(scenario)
