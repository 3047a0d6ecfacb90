"""kambot.json inside the /export workbook, so the XLSX alone also restores everything.

The JSON rides in a very hidden sheet (Excel shows it nowhere and keeps it when the file is
saved again), zlib-compressed and base64-encoded in cells of 32,000 characters: base64 survives
any spreadsheet's cell escaping, and compression keeps the workbook small.

The sheets a manager sees may be edited; the hidden copy would then be stale, and restoring it
would silently undo their edits. So the export seals the file: the ZIP comment holds a SHA-256
over the name and CRC of every part. A workbook that comes back sealed and intact was not
changed since /export, and its hidden copy is used; any change (even opening and saving it in
Excel, which also drops the comment) breaks the seal, and the visible sheets are read instead.
The seal guards against stale data, not against forgery: a forged copy goes through the same
validation and limits as any kambot.json.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zipfile
import zlib
from typing import Any, Final

from bot.services.exchange.bundle_json import MAX_JSON_BYTES
from bot.services.exchange.import_limits import MAX_SHEET_XML_BYTES

SHEET_TITLE: Final = "kambot"
_CHUNK: Final = 32_000
_SEAL_PREFIX: Final = b"kambot-seal:"
_SHEET_TEXT: Final = b"<t>"


def write_hidden_sheet(workbook: Any, document: bytes) -> None:
    """Appends the very hidden sheet to a write-only openpyxl workbook."""
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.sheet_state = "veryHidden"
    packed = base64.b64encode(zlib.compress(document, 6)).decode("ascii")
    for start in range(0, len(packed), _CHUNK):
        sheet.append([packed[start : start + _CHUNK]])


def _fingerprint(archive: zipfile.ZipFile) -> bytes:
    digest = hashlib.sha256()
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        digest.update(f"{info.filename}\0{info.CRC}\0{info.file_size}\n".encode())
    return _SEAL_PREFIX + digest.hexdigest().encode("ascii")


def seal(content: bytes) -> bytes:
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = _fingerprint(archive)
    return buffer.getvalue()


def hidden_document(content: bytes) -> bytes | None:
    """The kambot.json of a sealed, unchanged export workbook; None for any other workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if not archive.comment.startswith(_SEAL_PREFIX):
                return None
            if archive.comment != _fingerprint(archive):
                return None
            part = _hidden_part(archive)
            if part is None or part.file_size > MAX_SHEET_XML_BYTES:
                return None
            xml = archive.read(part)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, RuntimeError):
        return None
    return _unpack(xml)


def _hidden_part(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    # Our own writer puts the hidden sheet last: its part is the highest-numbered sheet XML,
    # and it is the one whose first cell starts with a zlib stream in base64 ("eN" / "eJ").
    sheets = [
        info
        for info in archive.infolist()
        if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml")
    ]
    if not sheets:
        return None
    return max(sheets, key=lambda i: int(i.filename[len("xl/worksheets/sheet") : -4] or 0))


def _unpack(xml: bytes) -> bytes | None:
    chunks: list[bytes] = []
    position = 0
    while True:
        start = xml.find(_SHEET_TEXT, position)
        if start < 0:
            break
        end = xml.find(b"</t>", start)
        if end < 0:
            return None
        chunks.append(xml[start + len(_SHEET_TEXT) : end])
        position = end
    try:
        packed = base64.b64decode(b"".join(chunks), validate=True)
        inflater = zlib.decompressobj()
        document = inflater.decompress(packed, MAX_JSON_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        return None
    if len(document) > MAX_JSON_BYTES or not inflater.eof:
        return None
    return document
