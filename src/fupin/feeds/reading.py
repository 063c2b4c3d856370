"""Reading a department's file into text columns for the engine.

The content decides the format: a zip archive is an .xlsx workbook (read with the registry's streaming
reader), anything else CSV text in UTF-8 (with or without BOM) or GBK/GB18030, the encoding Excel uses
on Chinese Windows. The header row is looked for among the first rows; its headers must be exactly the
kind's columns (in any order): a missing or an unknown column refuses the whole file, naming them.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import polars as pl

from fupin.feeds.kinds import FeedKind

HEADER_SEARCH_ROWS = 10
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class LayoutError(Exception):
    """The file cannot be read as this kind of feed; the message says why, in Chinese."""

    def __init__(self, message: str, *, code: str = "wrong_layout"):
        super().__init__(message)
        self.message = message
        self.code = code


_SNIFF = 1 << 20


def sniff_encoding(head: bytes, *, whole: bool) -> str:
    """UTF-8 when the first megabyte (`head`; `whole`: the file is no longer) decodes as UTF-8, else GB18030
    (a superset of GBK). The rest of a UTF-8 file is checked by the CSV reader itself, which refuses
    invalid UTF-8."""
    if b"\x00" in head[:65536]:
        raise LayoutError("文件不是文本（含有二进制内容），也不是.xlsx工作簿；请上传CSV或.xlsx文件", code="not_text")
    sample = head[:_SNIFF]
    for encoding in ("utf-8-sig", "gb18030"):
        # Incremental, not final: a multi-byte character cut at the end of the sample is no error.
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=whole)
            return encoding
        except UnicodeDecodeError:
            continue
    raise LayoutError("文件编码无法识别：既不是UTF-8也不是GBK编码的CSV文本", code="bad_encoding")


def _check_header(cells: list[str], kind: FeedKind) -> None:
    expected = kind.headers
    present = [c.strip() for c in cells if c and c.strip()]
    missing = [c.header for c in kind.columns if c.required and c.header not in present]
    unknown = [h for h in present if h not in expected]
    repeated = sorted({h for h in present if present.count(h) > 1})
    if missing or unknown or repeated:
        parts = []
        if missing:
            parts.append("缺少列：" + "、".join(missing))
        if unknown:
            parts.append("多出不认识的列：" + "、".join(unknown))
        if repeated:
            parts.append("列名重复：" + "、".join(repeated))
        raise LayoutError(f"文件格式与“{kind.title}”不符（{'；'.join(parts)}）。应有的列："
                          + "、".join(c.header for c in kind.columns) + "；整个文件未处理")


def _header_index(rows: list[list[str]], kind: FeedKind) -> int:
    """The index of the header row: the first of the first rows holding the ID number header."""
    id_header = kind.column("id_number").header
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if id_header in [str(c).strip() for c in cells]:
            return i
    first = next((r for r in rows if any(str(c).strip() for c in r)), [])
    _check_header([str(c) for c in first], kind)  # explains what is wrong with the first row
    raise LayoutError(f"文件前{HEADER_SEARCH_ROWS}行中没有表头（找不到“{id_header}”列）")


def read_feed(path: str | Path, kind: FeedKind) -> pl.DataFrame:
    """The data rows as text columns named by the kind's column keys, plus `_row` (the file's row number);
    empty rows are left out (the engine tidies surrounding spaces where a check needs it).

    Only the first megabyte is read here to tell the format and the encoding: a UTF-8 file (the usual
    case) goes to the CSV reader by its path, which maps it and drops a BOM itself, so a large file is
    neither read into memory twice nor copied."""
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(_SNIFF)
    if not head.strip() and (size <= len(head) or not path.read_bytes().strip()):
        raise LayoutError("文件是空的，没有任何内容", code="empty_file")
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, kind)
    if head.startswith(_OLE_MAGIC):
        raise LayoutError("这是旧版Excel（.xls）文件，系统不能读取；请在Excel中“另存为”.xlsx工作簿或CSV后再上传",
                          code="xls_not_supported")
    encoding = sniff_encoding(head, whole=size <= len(head))
    if encoding == "utf-8-sig":
        return _read_csv(path, head[:1 << 16].decode("utf-8-sig", errors="ignore"), kind)
    data = path.read_bytes()
    try:
        raw = data.decode(encoding).encode("utf-8")  # Polars reads UTF-8 only
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LayoutError(f"文件中有无法识别的字符（编码不一致或文件已损坏）：第{line}行附近",
                          code="bad_encoding") from exc
    return _read_csv(io.BytesIO(raw), raw[:1 << 16].decode("utf-8", errors="ignore"), kind)


def _read_csv(source: Path | io.BytesIO, start: str, kind: FeedKind) -> pl.DataFrame:
    import csv

    head_lines = start.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = "\t" if head_lines and "\t" in head_lines[0] and "," not in head_lines[0] else ","
    head = list(csv.reader(head_lines, delimiter=delimiter))
    index = _header_index(head, kind)
    header = [c.strip() for c in head[index]]
    _check_header(header, kind)
    try:
        frame = pl.read_csv(source, skip_rows=index, has_header=True, infer_schema=False,
                            separator=delimiter, truncate_ragged_lines=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        if "utf-8" in str(exc).lower() or "utf8" in str(exc).lower():
            raise LayoutError("文件后部有不是UTF-8编码的字符（编码不一致或文件已损坏），请统一另存为UTF-8或GBK编码后再上传",
                              code="bad_encoding") from exc
        raise LayoutError(f"文件无法按CSV格式读取（{str(exc).splitlines()[0][:200]}）", code="bad_csv") from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return _shape(frame, kind, first_row=index + 2)


def _read_xlsx(path, kind: FeedKind) -> pl.DataFrame:
    from fupin.registry.io.xlsx import Workbook, XlsxError

    try:
        with open(path, "rb") as fh:
            book = Workbook(fh)
            try:
                rows = book.sheet(book.sheet_names[0]).rows()
                head: list[tuple[int, list[str]]] = []
                for number, cells in rows:
                    head.append((number, [str(c) for c in cells]))
                    if len(head) >= HEADER_SEARCH_ROWS:
                        break
                index = _header_index([c for _n, c in head], kind)
                header = [c.strip() for c in head[index][1]]
                _check_header(header, kind)
                body = head[index + 1:]
                body.extend((n, [str(c) for c in cells]) for n, cells in rows)
            finally:
                book.close()
    except XlsxError as exc:
        raise LayoutError(str(exc), code="bad_xlsx") from exc
    columns = {h: [] for h in header if h}
    numbers = []
    for number, cells in body:
        numbers.append(number)
        for i, h in enumerate(header):
            if h:
                columns[h].append(cells[i] if i < len(cells) else "")
    frame = pl.DataFrame({**columns, "_row": numbers}, schema={**{h: pl.Utf8 for h in columns}, "_row": pl.Int64})
    return _shape(frame, kind)


def _shape(frame: pl.DataFrame, kind: FeedKind, *, first_row: int | None = None) -> pl.DataFrame:
    """Rename headers to column keys, add the optional columns the file left out, number the rows and drop
    blank ones."""
    frame = frame.select([c for c in frame.columns if c.strip()]).rename(kind.headers | {"_row": "_row"},
                                                                            strict=False)
    for c in kind.columns:
        if c.key not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Utf8).alias(c.key))
    if first_row is not None:
        frame = frame.with_row_index("_row", offset=first_row).with_columns(pl.col("_row").cast(pl.Int64))
    keys = [c.key for c in kind.columns]
    blank = pl.all_horizontal([pl.col(k).is_null() | (pl.col(k) == "") for k in keys])
    return frame.select("_row", *keys).filter(~blank)
