"""Hostile inputs, generated in the test (nothing here is committed as a file).

Each builder writes the smallest file that reproduces one attack from issue 17: a PDF declaring a huge
page, a PNG whose header promises 159 megapixels, workbooks whose zip directory lies about sizes or
whose CRC is wrong, a worksheet with a million formatted empty rows.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def pdf(path: Path, width_pt: float, height_pt: float, pages: int = 1) -> Path:
    """A valid PDF of `pages` blank pages of the given size, each with one drawn line (a few hundred bytes)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>")
    stream = b"0 0 m 100 100 l S"
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Contents {4 + 2 * i} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def png_bomb(path: Path, width: int, height: int) -> Path:
    """A real, decodable grayscale PNG of width x height pixels, all white, streamed (never in memory)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\0" + b"\xff" * width
    parts = []
    block = row * max(1, (4 * 1024**2) // len(row))
    rows_per_block = len(block) // len(row)
    done = 0
    while done < height:
        count = min(rows_per_block, height - done)
        parts.append(compressor.compress(block if count == rows_per_block else row * count))
        done += count
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")
    )
    return path


def xlsx(path: Path, sheet_xml: str | bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal workbook with one sheet whose XML is `sheet_xml` (deflated)."""
    body = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", body)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def xlsx_bomb(path: Path, inflated_mb: int) -> Path:
    """A workbook whose sheet inflates to `inflated_mb` MB of one repeated row (deflate ~1000:1),
    written in a stream so the test itself stays small in memory."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    block = row * ((1024**2) // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(SHEET_HEAD.encode())
            for _ in range(inflated_mb):
                stream.write(block)
            stream.write(SHEET_TAIL.encode())
    return path


def fake_declared_sizes(path: Path, member: str, declared: int) -> Path:
    """Rewrite the uncompressed size `member` declares (local header and central directory) to `declared`,
    as an attacker would to slip a bomb past a check that trusts the directory."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    real = info.file_size
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            named = data[start + name_offset : start + name_offset + len(name)] == name
            if named and struct.unpack_from("<I", data, start + size_offset)[0] == real:
                struct.pack_into("<I", data, start + size_offset, declared)
            start += 4
    path.write_bytes(bytes(data))
    return path


def corrupt_crc(path: Path, member: str) -> Path:
    """Flip the CRC-32 `member` declares in both headers: the bytes are intact, the checksum is wrong."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, crc_offset, name_offset in ((b"PK\x03\x04", 14, 30), (b"PK\x01\x02", 16, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                value = struct.unpack_from("<I", data, start + crc_offset)[0]
                struct.pack_into("<I", data, start + crc_offset, value ^ 0xFFFFFFFF)
            start += 4
    path.write_bytes(bytes(data))
    return path


def styled_empty_rows(path: Path, rows: int) -> Path:
    """A ledger-like sheet: a header and one data row, then `rows` formatted empty rows (Excel writes
    these when a clerk formats whole columns)."""
    head = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>受付番号</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>A0001</t></is></c></row>'
    )
    empty = "".join(
        f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/><c r="B{n}" s="1"/></row>'
        for n in range(3, rows + 1)
    )
    return xlsx(path, SHEET_HEAD + head + empty + SHEET_TAIL)
