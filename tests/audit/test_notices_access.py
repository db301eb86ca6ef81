"""`bodx notices --audit-log`: the letters are recorded as an access to personal data."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit import SeasonLog, child_history, verify_season
from bodx.app import app
from tests.notices.test_cli import _files
from tests.notices.test_letters import season  # noqa: F401 - the notices tests' small season


@pytest.mark.slow
def test_notices_are_recorded_as_an_access(season: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]  # noqa: F811
    folder = tmp_path / "season"
    out = folder / "notices"
    folder.mkdir()
    done = CliRunner().invoke(app, [*_files(season, tmp_path), "--out", str(out), "--audit-log", str(folder)])
    assert done.exit_code == 0, done.output
    (entry,) = SeasonLog(folder).read_lines()[0]
    assert b'"action":"export"' in entry
    letters = [p.relative_to(folder).as_posix() for p in (out / "letters").glob("*.pdf")]
    assert letters and all(f'"path":"{name}","role":"access"'.encode() in entry for name in letters)
    assert verify_season(folder).ok
    assert child_history(folder, "anyone")[0].action == "export"  # season-wide: in every child's history
    (out / "letters" / Path(letters[0]).name).write_bytes(b"%PDF replaced")
    assert [f.subject for f in verify_season(folder).findings] == [letters[0]]
