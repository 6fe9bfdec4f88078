"""CSV as French offices export it: `;`, `,` or tab; UTF-8, UTF-8 with BOM or cp1252."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import clevercsv

from observatoire.loading.table import (
    FileRejected,
    LoaderSettings,
    RawTable,
    TextBlock,
    file_size_checked,
)
from observatoire.submissions.parsing import nul_byte

DELIMITERS = (";", ",", "\t")
SNIFF_BYTES = 32 * 1024


def bytes_to_text(data: bytes) -> tuple[str, str]:
    """Decode deterministically: a BOM wins, then strict UTF-8, then cp1252."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"))
    for bom, encoding in (*boms, (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise FileRejected(f"encodage {encoding} annoncé mais invalide : {exc}") from exc
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRejected("encodage non reconnu : enregistrez le fichier en UTF-8 (CSV UTF-8)")


def refuse_nul(text: str) -> None:
    """Refuse a text holding a NUL character, at its line: no CSV has one (and clevercsv's
    detection fails on it with a bare `line contains NULL byte`)."""
    if found := nul_byte(text):
        line, cause = found
        raise FileRejected(
            f"octet NUL à la ligne {line} : {cause} ; "
            "enregistrez le fichier en UTF-8 (CSV UTF-8) ou en XLSX"
        )


def text_to_dialect(text: str) -> clevercsv.SimpleDialect:
    """The CSV dialect detected by clevercsv on the first lines (`;`, `,` or tab)."""
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    dialect = clevercsv.Detector().detect(sample, delimiters=list(DELIMITERS))
    if dialect is None or dialect.delimiter not in DELIMITERS:
        raise FileRejected("séparateur introuvable : attendu « ; », « , » ou tabulation")
    return dialect


def text_to_rows(text: str, dialect: clevercsv.SimpleDialect) -> Iterator[tuple[int, list[object]]]:
    """Non-blank records with the file line on which each ends (the header is line 1)."""
    options: dict = {"delimiter": dialect.delimiter}
    if dialect.quotechar:
        options.update(quotechar=dialect.quotechar, escapechar=dialect.escapechar or None)
    else:
        options.update(quoting=csv.QUOTE_NONE)
    reader = csv.reader(io.StringIO(text, newline=""), **options)
    try:
        for record in reader:
            if any(map(str.strip, record)):
                yield reader.line_num, record
    except csv.Error as exc:
        raise FileRejected(f"CSV illisible vers la ligne {reader.line_num} : {exc}") from exc


class PlainLines:
    """A CSV text in which each line is one record and `str.split` finds its cells: no quote
    or escape character anywhere, no carriage return but in CRLF, no NUL. Read line by line
    (`rows`, for the header), then in blocks (`blocks`) from where `rows` stopped."""

    def __init__(self, text: str, delimiter: str) -> None:
        self.lines = text.replace("\r\n", "\n").split("\n")
        if self.lines[-1] == "":  # the end of the last line, not a line
            self.lines.pop()
        self.delimiter = delimiter
        self.next = 0  # index of the next line to read

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Non-blank records with their line number, as `text_to_rows` gives them."""
        while self.next < len(self.lines):
            self.next += 1
            record = self.lines[self.next - 1].split(self.delimiter)
            if any(map(str.strip, record)):
                yield self.next, record

    def blocks(self, size: int) -> Iterator[TextBlock]:
        """The lines `rows` has not read, `size` at a time."""
        while self.next < len(self.lines):
            start, self.next = self.next, min(self.next + size, len(self.lines))
            yield TextBlock(start + 1, self.lines[start : self.next], self.delimiter)


def plain_lines(text: str, dialect: clevercsv.SimpleDialect) -> PlainLines | None:
    """`text` as `PlainLines` when the csv module would split it exactly like that."""
    special = [dialect.quotechar, dialect.escapechar, "\0"]
    if any(char and char in text for char in special):
        return None
    if text.count("\r") != text.count("\r\n"):
        return None
    return PlainLines(text, dialect.delimiter)


def read_csv(path: Path, settings: LoaderSettings) -> RawTable:
    """Open a CSV file: encoding and separator detected, rows streamed."""
    file_size_checked(path, settings)
    text, encoding = bytes_to_text(path.read_bytes())
    refuse_nul(text)
    dialect = text_to_dialect(text)
    separator = {"\t": "tabulation"}.get(dialect.delimiter, dialect.delimiter)
    plain = plain_lines(text, dialect)
    return RawTable(
        rows=plain.rows() if plain else text_to_rows(text, dialect),
        format="csv",
        details={"encodage": encoding, "séparateur": separator},
        total_lines=text.count("\n") + (0 if text.endswith("\n") else 1),
        text_cells=True,
        blocks=plain.blocks if plain else None,
    )


def looks_like_csv(path: Path, head: bytes) -> bool:
    """Anything that is not a known binary format is tried as CSV text."""
    return not head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF"))
