"""Checks run before any workbook is parsed, and the rule that outputs never replace inputs.

An .xlsx file is a zip archive; everything here looks only at the file header and the zip central
directory (declared sizes), so a zip bomb or an encrypted file is refused before a byte is inflated.
Macros: .xlsm/.xltm files are read for cell values only (vbaProject.bin is never opened, nothing is
evaluated) and no output of this package is ever written with a macro-enabled suffix.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sheets.errors import OutputExistsError, WorkbookRefusedError

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: encrypted .xlsx, or legacy .xls
ZIP_MAGIC = b"PK\x03\x04"
MACRO_SUFFIXES = frozenset({".xlsm", ".xltm", ".xlam"})
READABLE_SUFFIXES = frozenset({".xlsx", ".xltx", *MACRO_SUFFIXES})


@dataclass(frozen=True)
class WorkbookLimits:
    max_file_bytes: int = 200 * 1024**2
    max_entry_bytes: int = 1024**3  # one inflated part (a worksheet's XML)
    max_total_bytes: int = 2 * 1024**3
    max_ratio: float = 200.0  # inflated / compressed, checked for parts over `ratio_floor_bytes`
    ratio_floor_bytes: int = 1024**2  # tiny parts compress extremely well and are harmless
    max_entries: int = 10_000


DEFAULT_LIMITS = WorkbookLimits()


def check_workbook(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Raise :class:`WorkbookRefusedError` unless `path` is a plausible, unencrypted, bounded .xlsx."""
    name = path.name
    if not path.is_file():
        raise WorkbookRefusedError(f"{path}: ファイルがありません / file not found")
    if path.suffix.lower() not in READABLE_SUFFIXES:
        raise WorkbookRefusedError(
            f"{name}: .xlsx 形式で保存し直してください（{path.suffix or '拡張子なし'} は読めません） / "
            "only .xlsx workbooks are read; save the file as .xlsx"
        )
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise WorkbookRefusedError(
            f"{name}: ファイルが大きすぎます（{size // 1024**2} MB、上限 {limits.max_file_bytes // 1024**2} MB） / "
            "file too large"
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == CFB_MAGIC:
        raise WorkbookRefusedError(
            f"{name}: パスワードで保護されたファイルか古い .xls 形式です。パスワードを外し .xlsx で保存し直して"
            "ください / encrypted workbook or legacy .xls: remove the password and save as .xlsx"
        )
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookRefusedError(
            f"{name}: Excelファイル(.xlsx)ではないか壊れています / not an .xlsx file, or the file is corrupt"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRefusedError(f"{name}: ファイルが壊れています / corrupt workbook ({exc})") from exc
    _check_entries(name, entries, limits)


def _check_entries(name: str, entries: list[zipfile.ZipInfo], limits: WorkbookLimits) -> None:
    if len(entries) > limits.max_entries:
        raise WorkbookRefusedError(f"{name}: 内部の部品が多すぎます / too many parts ({len(entries)})")
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookRefusedError(f"{name}: Excelブックの構成ではありません / not an Excel workbook")
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise WorkbookRefusedError(f"{name}: 暗号化された部品があります / encrypted zip entry")
        if entry.file_size > limits.max_entry_bytes:
            raise WorkbookRefusedError(
                f"{name}: 展開後のサイズが大きすぎます（{entry.filename}） / a part inflates beyond the limit"
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise WorkbookRefusedError(
                f"{name}: 圧縮率が異常です（zip爆弾の疑い: {entry.filename} {ratio:.0f}倍） / "
                "suspicious compression ratio (zip bomb)"
            )
        total += entry.file_size
    if total > limits.max_total_bytes:
        raise WorkbookRefusedError(
            f"{name}: 展開後の合計サイズが大きすぎます / total inflated size beyond the limit"
        )


def ensure_writable_output(path: Path, inputs: Iterable[Path] = (), *, overwrite: bool = False) -> None:
    """Refuse to write `path` over an input file, over any existing file unless `overwrite`, or as a macro file."""
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise OutputExistsError(f"{path.name}: マクロ有効形式では保存しません / never saved macro-enabled")
    target = path.resolve()
    for source in inputs:
        if source.resolve() == target:
            raise OutputExistsError(
                f"{path}: 入力ファイルと同じです。別の名前で保存してください / refusing to write over an input file"
            )
    if path.exists() and not overwrite:
        raise OutputExistsError(
            f"{path}: 既にファイルがあります。別の名前にするか上書きを指定してください / "
            "file exists (pass overwrite to replace it)"
        )


def write_atomically(path: Path, payload: bytes) -> Path:
    """Write `payload` to `path` through a temporary file in the same folder: a crash mid-write leaves
    the previous file (or none), never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
