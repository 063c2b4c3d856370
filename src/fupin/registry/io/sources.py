"""Opening an uploaded registry file, whatever it turns out to be, as a stream of rows.

The content decides the format, not the file name: a zip archive is read as .xlsx, anything else as
CSV text (UTF-8 with or without BOM, or GB18030/GBK as Excel writes it on Chinese Windows). The
header row is looked for among the first rows of each sheet, so a title row above it (as in the
national system's printed lists) is fine, and the first sheet that has the registry headers is used.
Everything that makes the file unreadable raises `SourceError` with a message for people.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import polars as pl

from fupin.registry.io.xlsx import MergedRange, Workbook, XlsxError

HEADER_SEARCH_ROWS = 10
PLAIN_CHUNK_BYTES = 24 << 20  # about 45,000 rows of the national layout per frame
_SNIFF_BYTES = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
csv.field_size_limit(1 << 20)


class SourceError(Exception):
    """The file cannot be read as a registry file; `message` says why, in Chinese."""

    def __init__(self, message: str, *, code: str = "unreadable", row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.row = row
        self.column = column


@dataclass
class Source:
    """An opened file: where its header is, and an iterator over the data rows after it."""

    kind: str  # "csv" or "xlsx"
    sheet: str
    header_row: int
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    size: int
    position: Callable[[], int]
    merged: list[MergedRange] = field(default_factory=list)
    close: Callable[[], None] = lambda: None
    # CSV: the data rows again, as frames of text columns read by Polars (`plain_frames`)
    frames: Callable[[int], Iterator[pl.DataFrame]] | None = None


def _size(fh) -> int:
    try:
        return os.fstat(fh.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        here = fh.tell()
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(here)
        return size


def open_source(fh, *, is_header: Callable[[list[str]], bool], describe_header: Callable[[list[str]], str]
                ) -> Source:
    """Open a binary file object. `is_header(cells)` says whether a row is the registry header;
    `describe_header(cells)` explains what is wrong with the best candidate when none is."""
    head = fh.read(_SNIFF_BYTES)
    fh.seek(0)
    size = _size(fh)
    if not head:
        raise SourceError("文件是空的（0字节），没有任何内容", code="empty_file")
    if head.startswith(_ZIP_MAGIC):
        return _open_xlsx(fh, size, is_header, describe_header)
    if head.startswith(_OLE_MAGIC):
        raise SourceError("这是旧版Excel（.xls）文件，系统不能读取；请在Excel中“另存为”.xlsx工作簿或CSV后再导入",
                          code="xls_not_supported")
    return _open_csv(fh, head, size, is_header, describe_header)


# ------------------------------------------------------------------------------------------- CSV

def _encoding(head: bytes) -> str:
    """UTF-8 (BOM or not) if the first megabyte decodes as such, else GB18030 (a superset of GBK);
    refuse binary content (NUL bytes or many control characters) outright."""
    if b"\x00" in head[:65536]:
        raise SourceError("文件不是文本（含有二进制内容），也不是.xlsx工作簿；请上传国扶系统导出的Excel或CSV文件",
                          code="not_text")
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(head, final=len(head) < _SNIFF_BYTES)
        except UnicodeDecodeError:
            continue
        control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
        if control > len(text[:65536]) // 100 + 2:
            break
        return encoding
    raise SourceError("文件内容无法识别：既不是UTF-8或GBK编码的CSV文本，也不是.xlsx工作簿", code="not_text")


class _Counting(io.RawIOBase):
    """Wraps a binary file to know how far reading has got (for progress)."""

    def __init__(self, fh):
        self.fh = fh
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.fh.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.done += n
        return n


def _open_csv(fh, head: bytes, size: int, is_header, describe_header) -> Source:
    encoding = _encoding(head)
    counting = _Counting(fh)
    text = io.TextIOWrapper(io.BufferedReader(counting, 1 << 16), encoding=encoding, newline="")
    first_line = head.split(b"\n", 1)[0]
    delimiter = "\t" if b"\t" in first_line and b"," not in first_line else ","
    reader = csv.reader(text, delimiter=delimiter)
    records = _csv_records(reader)
    candidates = []
    for number, cells in records:
        candidates.append(cells)
        if is_header(cells):
            def frames(width: int, header_row: int = number) -> Iterator[pl.DataFrame]:
                return plain_frames(fh, encoding=encoding, delimiter=delimiter, skip=header_row, width=width)

            return Source("csv", "", number, [c.strip() for c in cells], records, size, lambda: counting.done,
                          frames=frames)
        if number >= HEADER_SEARCH_ROWS:
            break
    if not candidates:
        raise SourceError("文件中没有任何内容行", code="empty_file")
    best = next((c for c in candidates if any(x.strip() for x in c)), candidates[0])
    raise SourceError(describe_header(best), code="wrong_headers", row=1)


def _csv_records(reader) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except UnicodeDecodeError as exc:
        raise SourceError(f"第{number + 1}行附近有无法识别的字符（文件编码不一致或已损坏）：{exc.reason}",
                          code="bad_encoding", row=number + 1) from exc
    except csv.Error as exc:
        raise SourceError(f"第{number + 1}行无法按CSV格式读取（{exc}）；文件可能不是CSV或已损坏",
                          code="bad_csv", row=number + 1) from exc


class NotPlain(Exception):
    """The CSV file needs the csv module's reading (quotes, irregular rows, odd bytes)."""


# Control characters (tab, line feed and carriage return aside) become 1, everything else 0: a
# translate and a find is faster than a regular expression over a chunk.
_CONTROL = bytes(int(b < 32 and b not in (9, 10, 13)) for b in range(256))


def plain_frames(fh, *, encoding: str, delimiter: str, skip: int, width: int,
                 chunk_bytes: int = PLAIN_CHUNK_BYTES) -> Iterator[pl.DataFrame]:
    """The rows after the first `skip` lines as frames of `width` text columns (`c0`, …, "" for an empty
    cell) and `row`, the row number, read by Polars a chunk of lines at a time.

    Only for plain files, where a line is a row: no quote character, no control character, a
    carriage return only before a line feed, and every line with content has exactly `width` cells.
    Anything else raises `NotPlain` (the caller reads the file with the csv module, which words the
    problems); so does a chunk Polars does not read into exactly one row per line."""
    names = [f"c{i}" for i in range(width)]
    sep = delimiter.encode()
    fh.seek(0)
    for _ in range(skip):  # the header and any title rows above it
        if b'"' in fh.readline():
            raise NotPlain
    line, rest = skip, b""
    while True:
        data = fh.read(chunk_bytes)
        block = rest + data
        cut = len(block) if not data else block.rfind(b"\n") + 1
        chunk, rest = block[:cut], block[cut:]
        if chunk.strip(b"\r\n"):
            frame = _plain_chunk(chunk, encoding=encoding, sep=sep, width=width, names=names)
            yield frame.with_columns(pl.int_range(line + 1, line + 1 + frame.height, dtype=pl.Int64).alias("row"))
            line += frame.height
        if not data:
            return


def _plain_chunk(chunk: bytes, *, encoding: str, sep: bytes, width: int, names: list[str]) -> pl.DataFrame:
    if encoding == "gb18030":
        try:
            chunk = chunk.decode("gb18030").encode()
        except UnicodeDecodeError as exc:
            raise NotPlain from exc
    if (b'"' in chunk or b"\\N" in chunk or chunk.translate(_CONTROL).find(1) >= 0
            or (b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"))):
        raise NotPlain
    lines = chunk.count(b"\n") + (not chunk.endswith(b"\n"))
    if chunk.count(sep) != (width - 1) * lines:
        for text in chunk.split(b"\n")[:lines]:
            count = text.count(sep)
            if count != width - 1 and (count >= width or text.strip(b" \t\r" + sep)):
                raise NotPlain
    try:
        frame = pl.read_csv(chunk, has_header=False, new_columns=names, schema=dict.fromkeys(names, pl.String),
                            separator=sep.decode(), quote_char=None, empty_string_is_null=False)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise NotPlain from exc
    if frame.height != lines:
        raise NotPlain
    return frame.with_columns(pl.col(names).fill_null(""))


# ------------------------------------------------------------------------------------------ XLSX

def _open_xlsx(fh, size: int, is_header, describe_header) -> Source:
    try:
        book = Workbook(fh)
        tried = []
        for name in book.sheet_names:
            sheet = book.sheet(name)
            rows = sheet.rows()
            seen = []
            for number, cells in rows:
                seen.append(cells)
                if is_header(cells):
                    merged, _dimension = sheet.scan()
                    return Source("xlsx", name, number, [str(c).strip() for c in cells], _guard(rows), size,
                                  fh.tell, merged, book.close)
                if len(seen) >= HEADER_SEARCH_ROWS:
                    break
            tried.append((name, next((c for c in seen if any(str(x).strip() for x in c)), [])))
    except XlsxError as exc:
        raise SourceError(str(exc), code="bad_xlsx") from exc
    book.close()
    if all(not cells for _name, cells in tried):
        raise SourceError(f"工作簿是空的：工作表（{'、'.join(n for n, _c in tried)}）中没有任何内容", code="empty_file")
    names = "、".join(f"“{n}”" for n, _c in tried)
    first_name, first_cells = next((n, c) for n, c in tried if c) if any(c for _n, c in tried) else tried[0]
    raise SourceError(f"工作簿中没有符合国扶系统导出格式的工作表（已查看{names}的前{HEADER_SEARCH_ROWS}行）。"
                      f"工作表“{first_name}”：{describe_header([str(c) for c in first_cells])}",
                      code="wrong_sheet", row=1)


def _guard(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from rows
    except XlsxError as exc:
        raise SourceError(str(exc), code="bad_xlsx") from exc
