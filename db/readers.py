"""Reading the files banks export: CSV in UTF-8 (with or without BOM) or GBK/GB18030, separated
by comma, semicolon, tab or `|`, and Excel workbooks (.xlsx/.xls, first sheet unless named).

`open_table(path)` detects the format once; the table then gives its header and its rows as
chunks of text (row numbers as a person sees them in the file: the header is row 1). What was
detected is named in the build report, so nobody has to guess how a file was read.
"""
from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from db.errors import InputFileError

CHUNK_ROWS = 250_000
SAMPLE_BYTES = 1 << 20
SEPARATORS = {",": "逗号", ";": "分号", "\t": "制表符", "|": "竖线"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def _decodes(sample: bytes, encoding: str) -> bool:
    """Does the sample decode (a character cut at the sample's end is not an error)?"""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        return True
    except UnicodeDecodeError:
        return False


def detect_encoding(path: Path) -> str:
    with open(path, "rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Strict decoding decides between the two encodings Chinese exports use; GB18030 is a
    # superset of GBK. Only a file neither reads goes to the statistical detector.
    for encoding in ("utf-8", "gb18030"):
        if _decodes(sample, encoding):
            return encoding
    from charset_normalizer import from_bytes
    best = from_bytes(sample).best()
    if best is None:
        raise InputFileError(f"{path} 的编码无法识别（不是 UTF-8，也不是 GBK/GB18030）。"
                             "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试。")
    return best.encoding


def sniff_separator(lines: list[str]) -> str:
    """The separator that splits the header and the first rows into the same number (> 1) of fields."""
    best, best_fields = ",", 1
    for sep in SEPARATORS:
        widths = {len(row) for row in csv.reader(lines, delimiter=sep) if row}
        if len(widths) == 1 and (fields := widths.pop()) > best_fields:
            best, best_fields = sep, fields
    return best


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV export would hold (dates ISO, 1234.0 -> 1234)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class TableFile:
    path: Path
    kind: str                 # csv | excel
    encoding: str = ""
    separator: str = ","
    sheet: str = ""

    def describe(self) -> str:
        if self.kind == "excel":
            return f"Excel 工作表“{self.sheet}”"
        return f"CSV，{ENCODING_NAMES.get(self.encoding, self.encoding)} 编码，{SEPARATORS[self.separator]}分隔"

    @property
    def header(self) -> list[str]:
        if self.kind == "excel":
            rows = self._excel_rows
            return [_cell_text(v) for v in rows[0]] if rows else []
        with open(self.path, newline="", encoding=self.encoding) as f:
            header = next(csv.reader(f, delimiter=self.separator), None)
        return [h.strip() for h in header or []]

    @cached_property
    def _excel_rows(self) -> list[list]:
        """The sheet's cells, read once (header, mapping and chunks all need them)."""
        from python_calamine import CalamineWorkbook
        book = CalamineWorkbook.from_path(str(self.path))
        return book.get_sheet_by_name(self.sheet).to_python(skip_empty_area=True)

    def chunks(self, rows: int = CHUNK_ROWS, numeric: frozenset[str] = frozenset()):
        """(DataFrame, the file row number of its first row). Columns are stripped text, except the
        `numeric` headers of a CSV, which the C parser reads as numbers where every value of the chunk
        is a plain number (ten times faster than converting text later); a chunk with any other form
        (1,234.56, 是/否) keeps that column as text for the value readers."""
        if self.kind == "excel":
            data = self._excel_rows
            header = [_cell_text(v) for v in data[0]] if data else []
            for start in range(1, len(data), rows):
                body = [[_cell_text(v) for v in row] for row in data[start:start + rows]]
                yield pd.DataFrame(body, columns=header, dtype=str), start + 1
            return
        first = 2
        try:
            header = self.header
            raw_names = pd.read_csv(self.path, nrows=0, encoding=self.encoding, sep=self.separator).columns
            reader = pd.read_csv(self.path, dtype={raw: str for h, raw in zip(header, raw_names) if h not in numeric},
                                 keep_default_na=False, na_values={raw: [""] for h, raw in zip(header, raw_names)
                                                                   if h in numeric},
                                 encoding=self.encoding, sep=self.separator, chunksize=rows)
            for frame in reader:
                frame.columns = [str(c).strip() for c in frame.columns]
                # Exports pad values with spaces; strip once here so cleaning treats '' as the only blank.
                for column in frame.columns[frame.dtypes == object]:
                    frame[column] = frame[column].str.strip()
                yield frame, first
                first += len(frame)
        except UnicodeDecodeError as exc:
            raise InputFileError(f"{self.path} 在第 {first} 行附近出现无法按 "
                                 f"{ENCODING_NAMES.get(self.encoding, self.encoding)} 解码的字节（{exc.reason}）。"
                                 "文件可能混用了编码；请整体另存为 UTF-8 后重试。") from exc
        except pd.errors.ParserError as exc:
            raise InputFileError(f"{self.path} 无法按 CSV 解析（{SEPARATORS[self.separator]}分隔）：{exc}") from exc


def open_table(path: Path, sheet: str | None = None) -> TableFile:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"找不到文件：{path}")
    if path.stat().st_size == 0:
        raise InputFileError(f"{path} 是空文件，没有表头。")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        from python_calamine import CalamineWorkbook
        try:
            names = CalamineWorkbook.from_path(str(path)).sheet_names
        except Exception as exc:   # calamine raises its own types for a damaged workbook
            raise InputFileError(f"{path} 无法作为 Excel 工作簿读取：{exc}") from exc
        if sheet is not None and sheet not in names:
            raise InputFileError(f"{path} 中没有工作表“{sheet}”。可选：{'、'.join(names)}。")
        table = TableFile(path, "excel", sheet=sheet or names[0])
    else:
        encoding = detect_encoding(path)
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
        text = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head, final=False)
        lines = text.splitlines()[:20]
        table = TableFile(path, "csv", encoding, sniff_separator(lines[:-1] if len(lines) > 1 else lines))
    if not any(table.header):
        raise InputFileError(f"{path} 没有表头（第一行为空）。")
    return table
