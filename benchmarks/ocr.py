"""Measure the reader on generated scanned forms, per layout: accuracy per field kind, good pages
rejected, straight-through and silent error rates, pages per minute, and the issue's targets met or not.
Used by `bodx bench ocr` and by the accuracy tests. Lives in benchmarks/ because it generates its pages
with samples/ (the ocr library never imports samples)."""

from __future__ import annotations

import json
import resource
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocr.pipeline import ReadSettings, read_batch
from ocr.postprocess import same_value
from ocr.readings import PageReading
from ocr.template import FieldKind, FormTemplate

BENCH_SETTINGS = ReadSettings(keep_crops="review")  # crops only where staff would look
GROUPS = {
    "digits_dates_phones": ("digits", "date", "phone"),
    "names_addresses": ("name", "address"),
    "marks": ("checkbox", "choice"),
}
# The targets of issue #13, per layout.
TARGETS = {
    "digits_dates_phones": 0.995,
    "names_addresses": 0.97,
    "marks": 1.0,
    "straight_through_rate": 0.85,
    "pages_per_minute": 20.0,
}
MAX_SILENT = 0.002


@dataclass
class Figures:
    pages: int = 0
    pages_read: int = 0
    fields: int = 0
    correct: int = 0
    accepted: int = 0
    silent_errors: int = 0
    by_kind: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )  # kind: [correct, total]
    wrong_status: list[str] = field(default_factory=list)
    rejected_good: int = 0  # good pages that came back not read (blank, unknown form …)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # reading processes and their Tesseract children

    def payload(self) -> dict[str, Any]:
        marks = [
            self.by_kind[k.value] for k in (FieldKind.CHECKBOX, FieldKind.CHOICE) if k.value in self.by_kind
        ]
        mark_total = sum(t for _, t in marks)
        return {
            "pages": self.pages,
            "field_accuracy": _rate(self.correct, self.fields),
            "accuracy_by_kind": {kind: _rate(c, t) for kind, (c, t) in sorted(self.by_kind.items())},
            "checkbox_accuracy": _rate(sum(c for c, _ in marks), mark_total),
            "straight_through_rate": _rate(self.accepted, self.fields),
            "silent_error_rate": _rate(self.silent_errors, self.fields),
            "pages_per_minute": round(self.pages / self.seconds * 60, 1) if self.seconds else 0.0,
        }

    def layout_payload(self) -> dict[str, Any]:
        """The payload plus what `--layouts` reports per layout: groups of kinds and rejected pages."""
        groups = {
            name: _rate(sum(self.by_kind[k][0] for k in kinds), sum(self.by_kind[k][1] for k in kinds))
            for name, kinds in GROUPS.items()
            if any(k in self.by_kind for k in kinds)
        }
        return {**self.payload(), "rejected_good_pages": self.rejected_good, "accuracy_by_group": groups}


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 5) if whole else 0.0


def evaluate(readings: Sequence[PageReading], templates: Sequence[FormTemplate]) -> Figures:
    """Compare readings with the ground truth JSON written beside each generated page."""
    by_id = {t.id: t for t in templates}
    figures = Figures(pages=len(readings))
    for reading in readings:
        truth = json.loads(Path(reading.source).with_suffix(".json").read_text(encoding="utf-8"))
        expected = truth.get("expected_status", "read")
        if (expected == "read") != reading.status.was_read or (
            expected != "read" and expected != reading.status.value
        ):
            figures.wrong_status.append(
                f"{Path(reading.source).name}: {reading.status.value} (expected {expected})"
            )
        if expected != "read":
            continue
        figures.pages_read += reading.status.was_read
        figures.rejected_good += not reading.status.was_read
        template = by_id[truth["template"]]
        got = {f.name: f for f in reading.fields} if reading.template_id == template.id else {}
        for spec in template.fields:
            read = got.get(spec.name)
            ok = read is not None and same_value(spec, truth["fields"].get(spec.name), read.value)
            figures.fields += 1
            figures.correct += ok
            figures.by_kind[spec.kind.value][0] += ok
            figures.by_kind[spec.kind.value][1] += 1
            if read is not None and read.accepted:
                figures.accepted += 1
                figures.silent_errors += not ok
    return figures


def _generate_chunk(args: tuple[Path, int, int, tuple[str, ...]]) -> list[str]:
    from samples.forms.generate import generate_forms

    out, count, seed, template_ids = args
    return [str(p.image) for p in generate_forms(out, count, seed, templates=template_ids)]


def generate_pages(
    out: Path, pages: int, seed: int, template_ids: tuple[str, ...], workers: int
) -> list[str]:
    """Generate the benchmark pages on all cores (seeded chunks, so the set is reproducible)."""
    chunks = max(1, min(workers, pages // 10 or 1))
    sizes = [pages // chunks + (i < pages % chunks) for i in range(chunks)]
    jobs = [(out / f"part{i}", size, seed * 1000 + i, template_ids) for i, size in enumerate(sizes) if size]
    if len(jobs) == 1:
        return _generate_chunk(jobs[0])
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [path for chunk in pool.map(_generate_chunk, jobs) for path in chunk]


def _cpu() -> float:
    """CPU seconds of this process and its finished children (pool workers are joined by then)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(
    sources: Sequence[str],
    templates: Sequence[FormTemplate],
    workers: int,
    settings: ReadSettings = BENCH_SETTINGS,
) -> tuple[list[PageReading], Figures]:
    started, cpu_before = time.perf_counter(), _cpu()
    readings = read_batch(sources, templates, settings, workers=workers)
    elapsed = time.perf_counter() - started
    figures = evaluate(readings, templates)
    figures.seconds = elapsed
    figures.cpu_seconds = _cpu() - cpu_before
    return readings, figures


def targets_met(payload: dict[str, Any]) -> dict[str, bool]:
    groups = payload["accuracy_by_group"]
    met = {name: groups[name] >= goal for name, goal in TARGETS.items() if name in groups}
    met["straight_through_rate"] = payload["straight_through_rate"] >= TARGETS["straight_through_rate"]
    met["pages_per_minute"] = payload["pages_per_minute"] >= TARGETS["pages_per_minute"]
    met["silent_error_rate"] = payload["silent_error_rate"] <= MAX_SILENT
    met["no_good_page_rejected"] = payload["rejected_good_pages"] == 0
    return met


def bench_layouts(
    layouts: Sequence[str],
    pages: int,
    seed: int,
    workers: int,
    repeat: int,
    templates: Sequence[FormTemplate],
) -> dict[str, Any]:
    """Generate and read `pages` pages of each layout (read against every template); one payload each."""
    import os
    import tempfile

    from samples.forms.layouts import LAYOUT_SETS

    result: dict[str, Any] = {"workers": workers, "load_average": round(os.getloadavg()[0], 2), "layouts": {}}
    for layout in layouts:
        with tempfile.TemporaryDirectory() as tmp:
            sources = generate_pages(Path(tmp), pages, seed, LAYOUT_SETS[layout], workers)
            speeds, figures = [], None
            for _ in range(repeat):
                _, figures = run(sources, templates, workers)
                speeds.append(figures.payload()["pages_per_minute"])
        assert figures is not None
        payload = figures.layout_payload()
        payload["pages_per_minute"] = round(sorted(speeds)[len(speeds) // 2], 1)
        payload["cpu_seconds_per_page"] = round(figures.cpu_seconds / max(1, figures.pages), 2)
        payload["wrong_status"] = figures.wrong_status[:20]
        payload["targets_met"] = targets_met(payload)
        result["layouts"][layout] = payload
    result["all_targets_met"] = all(all(p["targets_met"].values()) for p in result["layouts"].values())
    return result


def layout_lines(result: dict[str, Any]) -> list[str]:
    """The human-readable report of `bench_layouts`."""
    lines = [f"{result['workers']} processes, load average at start {result['load_average']}"]
    for layout, p in result["layouts"].items():
        missed = [name for name, ok in p["targets_met"].items() if not ok]
        lines += [
            f"[{layout}] pages: {p['pages']}, good pages rejected: {p['rejected_good_pages']}",
            "  " + ", ".join(f"{k}: {v:.2%}" for k, v in p["accuracy_by_group"].items()),
            "  by kind: " + ", ".join(f"{k} {v:.2%}" for k, v in p["accuracy_by_kind"].items()),
            f"  straight-through: {p['straight_through_rate']:.2%}, silent errors: {p['silent_error_rate']:.3%}, "
            f"{p['pages_per_minute']} pages/min ({p['cpu_seconds_per_page']} CPU s/page)",
            "  targets: " + ("all met" if not missed else "missed " + ", ".join(missed)),
            *(f"  unexpected status: {line}" for line in p["wrong_status"]),
        ]
    return lines
