"""Printing through one chromium: batches in two tabs, split back into households in print order."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

import notices.render
from matching.instance import Instance
from matching.records import Application, Nursery
from matching.result import MatchResult
from notices import compose_letters, write_notices, write_previews
from notices._exec import chromium
from notices._exec.pdf import first_page_png, page_texts
from notices.errors import RenderError
from tests.notices.test_letters import PROFILE, YEAR, season  # noqa: F401 - the notices tests' small season

Season = tuple[list[Application], list[Nursery], Instance, MatchResult]
ISSUED = dt.date(YEAR, 2, 5)
NAMES = {"R-1": "青木", "R-2": "石井", "R-3": "上田"}


@pytest.mark.slow
def test_one_letter_per_batch_keeps_print_order(
    season: Season,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(notices.render, "BATCH", 1)  # three batches over two tabs
    letters = compose_letters(*season, PROFILE)
    files = write_notices(letters, PROFILE, tmp_path, issued_on=ISSUED)
    order = [letter.application_id for letter in letters]
    combined = ["".join(text.split()) for text in page_texts(files.combined)]
    assert [next(k for k, name in NAMES.items() if name in text) for text in combined] == order
    assert list(files.letters) == order
    for app_id, path in files.letters.items():
        [text] = page_texts(path)
        assert NAMES[app_id] in text and all(n not in text for k, n in NAMES.items() if k != app_id)


@pytest.mark.slow
def test_a_letter_longer_than_a_page_is_refused(season: Season, tmp_path: Path) -> None:  # noqa: F811
    template = tmp_path / "template"
    template.mkdir()
    style = (notices.render.BUNDLED_TEMPLATES / "style.css").read_text(encoding="utf-8")
    (template / "style.css").write_text(style.replace("height: 297mm", "height: 400mm"), encoding="utf-8")
    letters = compose_letters(*season, PROFILE)
    with pytest.raises(RenderError, match="1枚に収まりません"):
        write_notices(letters, PROFILE, tmp_path / "out", issued_on=ISSUED, template_dir=template)
    assert not (tmp_path / "out" / "通知書_一括.pdf").exists()


def test_without_chromium_the_message_says_how_to_install_it(
    season: Season,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chromium, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(chromium.shutil, "which", lambda _: None)
    with pytest.raises(RenderError, match="make setup"):
        write_notices(compose_letters(*season, PROFILE), PROFILE, tmp_path / "out", issued_on=ISSUED)


@pytest.mark.slow
def test_previews_draw_the_first_letter_of_each_kind(season: Season, tmp_path: Path) -> None:  # noqa: F811
    letters = compose_letters(*season, PROFILE)
    files = write_notices(letters, PROFILE, tmp_path / "notices", issued_on=ISSUED)
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "notice_horyu.png").write_bytes(b"an earlier run's image")
    shots = write_previews(letters, files, tmp_path / "shots")
    # In print order R-2 (保留) comes first and R-1 is the only 内定.
    assert set(shots) == {"内定", "保留"}
    for kind, app_id in (("内定", "R-1"), ("保留", "R-2")):
        png = shots[kind].read_bytes()
        assert png == first_page_png(files.letters[app_id], 100)
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size == (827, 1170)  # A4 at 100 dpi
        assert image.getextrema() == (0, 255)  # black text on a white page (greyscale)
    only_waiting = [letter for letter in letters if letter.kind == "保留"]
    assert set(write_previews(only_waiting, files, tmp_path / "shots")) == {"保留"}
    assert not (tmp_path / "shots" / "notice_naitei.png").exists()  # no stale image of another run
