"""Which files count as scans: the same rule for `bodx ocr read` and the intake flow."""

from __future__ import annotations

from pathlib import Path

from ocr.loading import scan_files


def test_folders_give_their_scans_in_name_order_and_files_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    for name in ("b.PDF", "a.jpg", "c.bmp", "notes.txt", "d.tiff"):
        (folder / name).write_bytes(b"x")
    single = tmp_path / "extra.png"
    single.write_bytes(b"x")
    found = scan_files([folder, single, tmp_path / "readme.md"])
    assert [p.name for p in found] == ["a.jpg", "b.PDF", "c.bmp", "d.tiff", "extra.png"]
