"""Shared output helpers: JSON that the CLI prints, and errors that exit with the right code."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar, overload

import click
from django.db.utils import DataError, OperationalError, ProgrammingError

from unisupport.domain.errors import DomainError, RuleViolation

P = ParamSpec("P")
R = TypeVar("R")

EXIT_REFUSED = 1  # a rule refused the operation (the rule ID is printed)
EXIT_INPUT = 2  # the input could not be read, names nothing the caller may see, or is not theirs to do


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


def exit_code(exc: DomainError) -> int:
    """Return the exit status that answers ``exc``: 1 for a rule, 2 for anything else."""
    return EXIT_REFUSED if isinstance(exc, RuleViolation) else EXIT_INPUT


@overload
def handles_domain_errors(func: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def handles_domain_errors(*, json_errors: bool) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def handles_domain_errors(
    func: Callable[P, R] | None = None, /, *, json_errors: bool = False
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Return ``func`` wrapped so that a domain error exits 1 (rule) or 2 (input, not found, forbidden).

    The message goes to stderr. With ``json_errors``, under ``--json`` (the command's ``as_json``)
    the error is also printed on stdout as ``{"error": {"rule", "field", "message"}}`` — the
    ledger's commands do; the others keep stdout empty on an error, as their contract says.
    """
    if func is None:
        return lambda inner: _wrapped(inner, json_errors=json_errors)
    return _wrapped(func, json_errors=json_errors)


def _wrapped(func: Callable[P, R], *, json_errors: bool) -> Callable[P, R]:
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            if json_errors and kwargs.get("as_json"):
                print_json({"error": exc.as_dict()})
            fail(exc.message, code=exit_code(exc))
        except DataError:
            # A value its column cannot hold (too long, out of range): bad input, nothing written.
            fail("a value does not fit where it is stored (too long, or out of range)", code=EXIT_INPUT)
        except (OperationalError, ProgrammingError) as exc:
            if "no such table" in str(exc) or "does not exist" in str(exc):
                fail("the database is not set up: run `unisupport migrate` first", code=EXIT_INPUT)
            raise

    return wrapper
