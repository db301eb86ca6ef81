"""Byte-identical .xlsx output for identical content.

openpyxl stamps the save time into docProps/core.xml and the zip entries' timestamps; generated samples
and review workbooks must not differ between two runs on the same input, so both are fixed here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def workbook_bytes(workbook: Workbook, stamp: dt.datetime) -> bytes:
    """Serialise `workbook` with `stamp` as its created/modified time and fixed zip entry times."""
    raw = io.BytesIO()
    workbook.save(raw)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + iso + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def save_deterministic(workbook: Workbook, path: Path, stamp: dt.datetime) -> None:
    path.write_bytes(workbook_bytes(workbook, stamp))
