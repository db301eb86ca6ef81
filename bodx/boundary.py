"""The CLI's error boundary: every expected failure ends in one bilingual message and exit code 2.

Expected failures are the packages' own errors (their messages are written for staff), bad input files
(JSON/TOML syntax, undecodable text, nesting too deep, validation) and the operating system refusing a
file (missing, read-only, disk full). Anything else is a bug: it is reported as an internal error with
the exception type and the place in the code only, never its message or a traceback, because either may
quote personal data from the input (a child's name in a cell). ``--debug`` (or ``BODX_DEBUG=1``) lets
every exception through with its full traceback for developers.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import tomllib
import traceback
from collections.abc import Callable
from pathlib import Path

EXIT_INPUT = 2
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: distinct from every command's own result codes (match: 3)
EXIT_INTERRUPTED = 130
DEBUG_FLAG = "--debug"
MAX_MESSAGE_CHARS = 4_000  # a message quoting a 3 MB cell stays readable


def _expected_errors() -> tuple[type[BaseException], ...]:
    from pydantic import ValidationError

    from flows.errors import FlowsError
    from matching.errors import MatchingError
    from ocr.errors import OcrError
    from robots.errors import RobotsError
    from sheets.errors import SheetsError

    return (MatchingError, SheetsError, OcrError, RobotsError, FlowsError, ValidationError)


def printable(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` safe for a terminal or a log: control characters escaped (newlines and tabs kept), length
    bounded. Escaping, not removing: staff can see where the stray character sits."""
    cleaned = "".join(
        ch if ch in "\n\t" or (ch.isprintable() and ch not in "\u2028\u2029") else f"\\u{ord(ch):04x}"
        for ch in text[: limit + 1]
    )
    return cleaned if len(text) <= limit else cleaned[:limit] + " …"


def _where(exc: BaseException) -> str:
    """The innermost frame in the project's code ("matching/optimizer/engine.py:120"), for bug reports."""
    root = Path(__file__).resolve().parents[1]
    place = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            relative = Path(frame.filename).resolve().relative_to(root)
        except ValueError:
            continue
        if ".venv" not in relative.parts:
            place = f"{relative}:{frame.lineno}"
    return place or "?"


def _os_message(exc: OSError) -> str:
    name = Path(exc.filename).name if isinstance(exc.filename, str) else ""
    code = errno.errorcode.get(exc.errno or 0, "")
    if exc.errno == errno.ENOSPC:
        return f"ディスクがいっぱいです。空きを作ってやり直してください / disk full ({name})"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"書き込み・読み取りの権限がありません / permission denied: {exc.filename} ({code})"
    if exc.errno == errno.ENOENT:
        return f"ファイルかフォルダがありません / not found: {exc.filename}"
    if exc.errno in (errno.EISDIR, errno.ENOTDIR):
        return (
            f"ファイルとフォルダの指定が逆です / file where a folder is needed or the reverse: {exc.filename}"
        )
    return f"ファイル操作に失敗しました / file operation failed: {exc.filename or name} ({code or exc.errno})"


def _validation_message(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    lines = [
        f"  {'.'.join(str(p) for p in e.get('loc', ())) or '(file)'}: {e.get('msg', '')}"
        for e in errors()[:10]
    ]
    return "入力が不正です / invalid input:\n" + "\n".join(lines)


def message_for(exc: BaseException) -> tuple[str, int]:
    """The user-facing message and exit code for `exc` (no traceback, no input values for bugs)."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return _validation_message(exc), EXIT_INPUT
    if isinstance(exc, _expected_errors()):
        return str(exc), EXIT_INPUT
    if isinstance(exc, json.JSONDecodeError):
        return (
            f"JSON の書式が正しくありません（{exc.lineno}行目 {exc.colno}列） / invalid JSON at line {exc.lineno}, "
            f"column {exc.colno}: {exc.msg}",
            EXIT_INPUT,
        )
    if isinstance(exc, tomllib.TOMLDecodeError):
        return f"TOML の書式が正しくありません / invalid TOML: {exc}", EXIT_INPUT
    if isinstance(exc, UnicodeError):
        return "文字コードが UTF-8 ではありません / the file is not UTF-8 text", EXIT_INPUT
    if isinstance(exc, RecursionError):
        return "入れ子が深すぎるファイルです / the file is nested too deeply", EXIT_INPUT
    if isinstance(exc, MemoryError):
        return (
            "メモリが足りません。入力を小さくしてください / out of memory: the input is too large",
            EXIT_INPUT,
        )
    if isinstance(exc, OSError):
        return _os_message(exc), EXIT_INPUT
    return (
        f"内部エラーです。開発担当に連絡してください（{type(exc).__name__} at {_where(exc)}; 詳細は --debug） / "
        f"internal error, please report it ({type(exc).__name__} at {_where(exc)}; details with {DEBUG_FLAG})",
        EXIT_INTERNAL,
    )


def run_with_boundary(app: Callable[[], object], argv: list[str] | None = None) -> None:
    """Run the Typer `app`, turning every exception into a message and an exit code (see the module)."""
    args = sys.argv if argv is None else argv
    debug = DEBUG_FLAG in args[1:] or os.environ.get("BODX_DEBUG") == "1"
    if DEBUG_FLAG in args[1:]:
        args[1:] = [a for a in args[1:] if a != DEBUG_FLAG]
    if debug:
        app()
        return
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("\n中断しました / interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except BaseException as exc:  # the boundary: nothing escapes as a traceback
        text, code = message_for(exc)
        print(f"エラー / error: {printable(text)}", file=sys.stderr)
        raise SystemExit(code) from None
