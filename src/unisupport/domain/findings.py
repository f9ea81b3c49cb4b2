"""Findings: what a validation says about a document, each naming its rule or field."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Level(StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    WARNING = "warning"


class Outcome(IntEnum):
    """The verdict as an exit code: 0 valid, 1 a rule is broken, 2 the input cannot be read."""

    VALID = 0
    RULE_BROKEN = 1
    UNREADABLE = 2


@dataclass(frozen=True, slots=True)
class Finding:
    """One error or warning: the rule (RULES.md ID, or None for unreadable input), where, and why."""

    rule: str | None
    message: str
    path: str
    level: Level = Level.ERROR
    amount: str | None = None  # e.g. the amount forfeited (FLX-5), as a decimal string

    def as_dict(self) -> dict[str, str | None]:
        """Return the finding as the JSON object of the verdict."""
        return {"rule": self.rule, "message": self.message, "path": self.path, "amount": self.amount}


@dataclass(slots=True)
class Verdict:
    """The whole verdict on a file: its errors and warnings."""

    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    unreadable: bool = False

    @property
    def valid(self) -> bool:
        """Return True when nothing is in error."""
        return not self.errors

    @property
    def outcome(self) -> Outcome:
        """Return the exit code this verdict maps to."""
        if self.unreadable:
            return Outcome.UNREADABLE
        return Outcome.VALID if self.valid else Outcome.RULE_BROKEN

    def error(self, rule: str | None, path: str, message: str) -> None:
        """Record an error."""
        self.errors.append(Finding(rule, message, path))

    def warn(self, rule: str, path: str, message: str, *, amount: str | None = None) -> None:
        """Record a warning."""
        self.warnings.append(Finding(rule, message, path, Level.WARNING, amount))

    def as_dict(self) -> dict[str, object]:
        """Return the verdict as the JSON document the CLI and the API print."""
        return {
            "valid": self.valid,
            "errors": [f.as_dict() for f in self.errors],
            "warnings": [f.as_dict() for f in self.warnings],
        }
