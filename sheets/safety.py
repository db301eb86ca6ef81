"""The one way the project opens an untrusted workbook, and the one way it writes any file.

Opening (:func:`open_book`, :func:`open_workbook`, both through :func:`check_workbook`): the file header
and zip directory are checked first (encrypted, .xls, too many parts, declared sizes), then every part
is inflated once in bounded chunks and *measured*: the sizes a zip directory declares can be faked, the
bytes that come out cannot. The same pass verifies each part's CRC, so a damaged file is refused with a
message instead of failing half-way through a reader. Macros: .xlsm/.xltm files are read for cell values
only (vbaProject.bin is never opened, nothing is evaluated) and nothing is written macro-enabled.

Writing: :func:`write_atomically` (defined in :mod:`matching.files`, the base package, so that matching
can use it too; re-exported here) writes a temporary file in the target folder, fsyncs and renames; files
are created 0600 in folders created 0700. A crash or a full disk leaves the previous file, never half.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matching.files import private_directory, write_all_atomically, write_atomically, write_text_atomically
from matching.limits import DEFAULT_LIMITS as DEFAULT_INPUT_LIMITS
from matching.limits import Limits, too_large
from sheets.errors import OutputExistsError, WorkbookRefusedError

if TYPE_CHECKING:
    from openpyxl import Workbook

    from sheets.xlsx_stream import XlsxBook

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: encrypted .xlsx, or legacy .xls
ZIP_MAGIC = b"PK\x03\x04"
MACRO_SUFFIXES = frozenset({".xlsm", ".xltm", ".xlam"})
READABLE_SUFFIXES = frozenset({".xlsx", ".xltx", *MACRO_SUFFIXES})
_CHUNK = 1024**2
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")  # a worksheet row, with or without a namespace prefix
# The same tags counted apart, three times faster: the plain one starts with a literal the regex engine
# searches for directly, and the prefixed one is looked for only in a chunk that has ":row" at all.
_PLAIN_ROW_TAG = re.compile(rb"<row[\s>/]")
_PREFIXED_ROW_TAG = re.compile(rb"<\w+:row[\s>/]")
_WORKSHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


@dataclass(frozen=True)
class WorkbookLimits:
    """The workbook part of :class:`matching.limits.Limits` (see there for what each bounds)."""

    max_file_bytes: int = DEFAULT_INPUT_LIMITS.max_workbook_file_bytes
    max_entry_bytes: int = DEFAULT_INPUT_LIMITS.max_workbook_part_bytes
    max_total_bytes: int = DEFAULT_INPUT_LIMITS.max_workbook_total_bytes
    max_ratio: float = 200.0  # inflated / compressed, checked for parts over `ratio_floor_bytes`
    ratio_floor_bytes: int = 1024**2  # tiny parts compress extremely well and are harmless
    max_entries: int = DEFAULT_INPUT_LIMITS.max_workbook_parts
    max_rows: int = DEFAULT_INPUT_LIMITS.max_sheet_rows

    @classmethod
    def from_limits(cls, limits: Limits) -> WorkbookLimits:
        return cls(
            max_file_bytes=limits.max_workbook_file_bytes,
            max_entry_bytes=limits.max_workbook_part_bytes,
            max_total_bytes=limits.max_workbook_total_bytes,
            max_entries=limits.max_workbook_parts,
            max_rows=limits.max_sheet_rows,
        )


DEFAULT_LIMITS = WorkbookLimits()


def check_workbook(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Raise :class:`WorkbookRefusedError` unless `path` is a plausible, unencrypted, bounded .xlsx."""
    _check(path, limits, keep=False)


def read_checked_parts(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS) -> dict[str, bytearray]:
    """:func:`check_workbook`, keeping the XML parts it inflated (bounded by the same limits), so that
    the reader (``XlsxBook(path, parts)``) does not inflate a 170 MB worksheet a second time."""
    return _check(path, limits, keep=True)


def _check(path: Path, limits: WorkbookLimits, *, keep: bool) -> dict[str, bytearray]:
    name = path.name
    if not path.is_file():
        raise WorkbookRefusedError(f"{name}: ファイルがありません / file not found")
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
            _check_entries(name, entries, limits)
            return _measure_entries(name, archive, entries, limits, keep)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,  # a damaged deflate stream
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise WorkbookRefusedError(
            f"{name}: ファイルが壊れています。Excelで開いて保存し直してください / corrupt workbook: "
            "open it in Excel and save it again"
            f" ({exc.__class__.__name__})"
        ) from exc


def _check_entries(name: str, entries: list[zipfile.ZipInfo], limits: WorkbookLimits) -> None:
    """What the zip directory declares: cheap first refusals (the measured pass has the last word)."""
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
        _check_ratio(name, entry.filename, entry.file_size, entry.compress_size, limits)
        total += entry.file_size
    if total > limits.max_total_bytes:
        raise WorkbookRefusedError(
            f"{name}: 展開後の合計サイズが大きすぎます / total inflated size beyond the limit"
        )


def _check_ratio(name: str, part: str, inflated: int, compressed: int, limits: WorkbookLimits) -> None:
    ratio = inflated / max(compressed, 1)
    if inflated > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        raise WorkbookRefusedError(
            f"{name}: 圧縮率が異常です（zip爆弾の疑い: {part} {ratio:.0f}倍） / "
            "suspicious compression ratio (zip bomb)"
        )


def _measure_entries(
    name: str, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: WorkbookLimits, keep: bool
) -> dict[str, bytearray]:
    """Inflate every part in bounded chunks, counting the bytes (and a worksheet's rows) that come out;
    with `keep`, the XML parts' bytes (a reader's input) once the whole file has passed.

    zipfile stops at the size the directory declares and then checks the CRC, so a part declaring less
    than it holds fails its CRC here; a part declaring more is measured as it really is.
    """
    total = 0
    kept: dict[str, bytearray] = {}
    for entry in entries:
        inflated = rows = 0
        is_sheet = bool(_WORKSHEET_PART.match(entry.filename))
        # Grown in place (no second copy of a 170 MB sheet when it is complete).
        kept_part = bytearray() if keep and entry.filename.endswith((".xml", ".rels")) else None
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                if kept_part is not None:
                    kept_part += chunk
                inflated += len(chunk)
                total += len(chunk)
                if inflated > limits.max_entry_bytes:
                    raise WorkbookRefusedError(
                        f"{name}: 展開後のサイズが大きすぎます（{entry.filename}） / "
                        "a part inflates beyond the limit (measured)"
                    )
                if total > limits.max_total_bytes:
                    raise WorkbookRefusedError(
                        f"{name}: 展開後の合計サイズが大きすぎます / total inflated size beyond the limit (measured)"
                    )
                _check_ratio(name, entry.filename, inflated, entry.compress_size, limits)
                if is_sheet:
                    # A tag cut by a chunk boundary is missed: at most one row per MB, irrelevant to a limit.
                    rows += row_tags(chunk)
                    if rows > limits.max_rows:
                        raise WorkbookRefusedError(
                            f"{name}: "
                            + too_large(
                                f"シートの行数（{entry.filename}、書式だけの空行を含む。不要な行を削除して"
                                "ください）",
                                f"rows in {entry.filename} (formatted empty rows count: delete them)",
                                f"> {limits.max_rows:,}",
                                "max_sheet_rows",
                                limits.max_rows,
                            )
                        )
        if kept_part is not None:
            kept[entry.filename] = kept_part
    return kept


def row_tags(chunk: bytes) -> int:
    """How many row start tags (`_ROW_TAG`) `chunk` holds."""
    plain = len(_PLAIN_ROW_TAG.findall(chunk))
    return plain + len(_PREFIXED_ROW_TAG.findall(chunk)) if b":row" in chunk else plain


def open_book(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS) -> XlsxBook:
    """The checked workbook for the fast values-only reader (use as a context manager)."""
    from sheets.xlsx_stream import XlsxBook

    return XlsxBook(path, read_checked_parts(path, limits))


def open_workbook(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS, **options: Any) -> Workbook:
    """The checked workbook through openpyxl (read-only and values-only unless `options` say otherwise)."""
    from openpyxl import load_workbook

    check_workbook(path, limits)
    settings = {"read_only": True, "data_only": True, **options}
    try:
        workbook = load_workbook(str(path), **settings)
        if settings["read_only"]:
            # Read-only sheets are parsed lazily: read every row once now (streamed, bounded) so that a
            # damaged sheet is refused here, not half-way through a caller's loop.
            for sheet in workbook.worksheets:
                for _ in sheet.iter_rows(values_only=True):
                    pass
        return workbook
    except Exception as exc:  # openpyxl raises many types (KeyError, TypeError, lxml's) for a damaged file
        raise WorkbookRefusedError(
            f"{path.name}: ブックを開けません。Excelで開いて保存し直してください / cannot open the workbook "
            f"({exc.__class__.__name__})"
        ) from exc


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


__all__ = [
    "DEFAULT_LIMITS",
    "WorkbookLimits",
    "check_workbook",
    "ensure_writable_output",
    "open_book",
    "open_workbook",
    "private_directory",
    "read_checked_parts",
    "write_all_atomically",
    "write_atomically",
    "write_text_atomically",
]
