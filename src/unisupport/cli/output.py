"""Shared output helpers: JSON that the CLI prints, and errors that exit with the right code."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import click
from django.db.utils import OperationalError, ProgrammingError

from unisupport.domain.errors import DomainError, RuleViolation

P = ParamSpec("P")
R = TypeVar("R")

EXIT_REFUSED = 1  # a rule refused the operation (the rule ID is printed)
EXIT_INPUT = 2  # the input could not be read (the field is named)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON (decimals as strings, dates in ISO 8601)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_default))


def fail(message: str, *, code: int = EXIT_INPUT) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(code)


def handles_domain_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Return ``func`` wrapped so that domain errors exit 1 (rule) or 2 (input) with their message."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except RuleViolation as exc:
            fail(exc.message, code=EXIT_REFUSED)
        except DomainError as exc:
            fail(exc.message, code=EXIT_INPUT)
        except (OperationalError, ProgrammingError) as exc:
            if "no such table" in str(exc) or "does not exist" in str(exc):
                fail("the database is not set up: run `unisupport migrate` first", code=EXIT_INPUT)
            raise

    return wrapper
