"""The progress artifacts' text: x / N, then the time left once something is done, then 完了."""

from __future__ import annotations

from flows.artifacts import eta_text, progress_line


def test_progress_line_counts_and_estimates() -> None:
    assert progress_line("OCR", 0, 40, "ファイル", 0.0) == "OCR: 0 / 40 ファイル"
    # 10 files in 30 s: 30 more take about 90 s.
    assert (
        progress_line("OCR", 10, 40, "ファイル", 30.0)
        == "OCR: 10 / 40 ファイル (残り約 2分 / about 2 min left)"
    )
    assert progress_line("OCR", 40, 40, "ファイル", 120.0) == "OCR: 40 / 40 ファイル (完了 / done)"


def test_eta_is_rounded_the_way_a_clerk_reads_it() -> None:
    assert eta_text(3) == "残り約 10秒 / about 10 s left"
    assert eta_text(44) == "残り約 40秒 / about 40 s left"
    assert eta_text(61) == "残り約 1分 / about 1 min left"
    assert eta_text(60 * 47 + 10) == "残り約 47分 / about 47 min left"
