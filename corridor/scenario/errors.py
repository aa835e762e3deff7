"""The one error a user's input can raise: it says where (file, row or key, field), what was
found and what was expected, so the command line can print it and exit with code 2. Input a
peer tool tolerates, and corridor follows it in tolerating, is a ScenarioWarning said the same
way (the command line prints it and goes on)."""

from __future__ import annotations

import reprlib
from pathlib import Path

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 60, 60, 40


class ScenarioError(Exception):
    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        row: int | None = None,
        key: str | None = None,
        field: str | None = None,
        found: object = None,
        expected: str | None = None,
    ):
        self.file = str(file)
        self.row, self.key, self.field = row, key, field
        self.found, self.expected, self.problem = found, expected, problem
        super().__init__(self.message())

    def warning(self) -> ScenarioWarning:
        """The same located message, as a warning to print and go on."""
        return ScenarioWarning(self.message())

    def message(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.key is not None:
            where.append(f"key '{_cut(self.key)}'")
        if self.field is not None:
            where.append(f"field '{_cut(self.field)}'")
        text = f"{': '.join(where)}: {self.problem}"
        if self.found is not None:
            text += f" (found {shortened(self.found)}"
            text += f", expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return " ".join(text.splitlines())


def _cut(name: str, limit: int = 80) -> str:
    """A key or field name as the file spelled it, cut to ``limit`` characters (a fuzzed key can be
    megabytes long)."""
    return name if len(name) <= limit else name[: limit - 3] + "..."


def shortened(value: object) -> str:
    """``repr(value)`` cut to a readable length: a message about a 5,000-digit number or a
    megabyte-long field must stay one short line (and never wait on converting it)."""
    if isinstance(value, int) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    return _SHORT.repr(value)


class ScenarioWarning(UserWarning):
    """A located message about input that runs anyway (see ScenarioError.warning)."""
