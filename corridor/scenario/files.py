"""Opening a user's text files: every way a file can be unreadable (missing, a folder in its
place, not UTF-8 text, a CSV field beyond the csv module's limit, YAML that does not parse or
holds an impossible date or a number too long to convert) becomes one located ScenarioError."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser when installed: 10x faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # the stubs declare CSafeLoader whether or not libyaml is built in
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from corridor.scenario.errors import ScenarioError, shortened


def read_text(path: Path, expected: str) -> str:
    """The file's text; UTF-8 (with or without a byte-order mark) or UTF-16 with its mark."""
    if path.is_dir():
        raise ScenarioError(path, "a folder where a file should be", expected=expected)
    if not path.is_file():
        raise ScenarioError(path, "file not found", expected=expected)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ScenarioError(path, f"cannot read the file: {error.strerror}", expected=expected) from None
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            path,
            f"not UTF-8 text (byte {error.start})",
            found=data[error.start : error.start + 4],
            expected="a file saved as UTF-8",
        ) from None


class _Loader(_SafeLoader):
    """SafeLoader that reports a value it cannot build (an impossible date, an integer of
    thousands of digits) at the value's line, like a syntax error."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value {shortened(node.value)}: {error}", node.start_mark
            ) from None


def read_yaml(path: Path, expected: str = "a YAML file") -> Any:
    text = read_text(path, expected)
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise ScenarioError(path, f"not valid YAML: {problem}", row=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise ScenarioError(path, "not valid YAML: nested too deeply", expected=expected) from None


def csv_rows(path: Path, expected: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each CSV record; a malformed record (a field over the csv
    module's size limit, a NUL byte) is reported at its line."""
    reader = csv.reader(io.StringIO(read_text(path, expected), newline=""))
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ScenarioError(
                path, f"cannot read the CSV record: {error}", row=reader.line_num + 1, expected=expected
            ) from None
        yield reader.line_num, fields


def csv_records(path: Path, expected: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header's column names and (line number, {column: value}) of each record; missing
    trailing fields read as empty."""
    rows = csv_rows(path, expected)
    try:
        _, columns = next(rows)
    except StopIteration:
        raise ScenarioError(path, "the file is empty", expected=expected) from None
    columns = [name.strip() for name in columns]

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        for line, fields in rows:
            if not any(field.strip() for field in fields):
                continue
            if len(fields) > len(columns):
                raise ScenarioError(
                    path,
                    "more fields than columns",
                    row=line,
                    found=len(fields),
                    expected=f"{len(columns)} fields ({','.join(columns)})",
                )
            yield line, dict(zip(columns, fields + [""] * (len(columns) - len(fields)), strict=True))

    return columns, records()
