"""The DevTools bookkeeping of the printer, without a browser: answers, loads and a crashed tab."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import pytest

from notices._exec.chromium import PdfPrinter
from notices.errors import RenderError


def _pending(printer: PdfPrinter, number: int, session: str | None) -> Future[dict[str, Any]]:
    answer: Future[dict[str, Any]] = Future()
    printer._answers[number] = (session, answer)
    return answer


def test_an_answer_goes_to_its_caller() -> None:
    printer = PdfPrinter()
    first, second = _pending(printer, 1, "A"), _pending(printer, 2, "B")
    printer._dispatch({"id": 2, "result": {"data": "x"}})
    assert second.result(0)["result"] == {"data": "x"} and not first.done()


def test_a_load_seen_before_anyone_waits_is_kept_for_that_navigation_only() -> None:
    printer = PdfPrinter()
    load = {"method": "Page.lifecycleEvent", "sessionId": "A", "params": {"name": "load", "loaderId": "L1"}}
    printer._dispatch(load)
    printer._dispatch({**load, "params": {"name": "DOMContentLoaded", "loaderId": "L2"}})
    assert printer._loaded == {("A", "L1")}
    waiting: Future[dict[str, Any]] = Future()
    printer._loads[("A", "L2")] = waiting
    printer._dispatch({**load, "params": {"name": "load", "loaderId": "L2"}})
    assert waiting.done() and printer._loaded == {("A", "L1")}


def test_a_crashed_tab_fails_what_waits_for_it_at_once() -> None:
    printer = PdfPrinter()
    crashed, other = _pending(printer, 1, "A"), _pending(printer, 2, "B")
    loading: Future[dict[str, Any]] = Future()
    printer._loads[("A", "L1")] = loading
    printer._dispatch({"method": "Inspector.targetCrashed", "sessionId": "A", "params": {}})
    for future in (crashed, loading):
        with pytest.raises(RenderError, match="異常終了"):
            future.result(0)
    assert not other.done() and list(printer._answers) == [2]
