"""The one error a user's input can raise: it says where (file, row or key, field), what was
found and what was expected, so the command line can print it and exit with code 2. Input a
peer tool tolerates, and corridor follows it in tolerating, is a ScenarioWarning said the same
way (the command line prints it and goes on)."""

from __future__ import annotations

from pathlib import Path


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
            where.append(f"key '{self.key}'")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        text = f"{': '.join(where)}: {self.problem}"
        if self.found is not None:
            text += f" (found {self.found!r}"
            text += f", expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


class ScenarioWarning(UserWarning):
    """A located message about input that runs anyway (see ScenarioError.warning)."""
