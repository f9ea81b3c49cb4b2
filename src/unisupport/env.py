"""Typed, strict readers of the environment variables the settings come from.

A value that cannot be read stops the start with ImproperlyConfigured naming the variable: a typo in
``UNISUPPORT_DEBUG`` or ``UNISUPPORT_SMTP_PORT`` must not silently become a default. Unset (or empty)
gives the default. Each reader takes the environment to read (``os.environ`` by default) so that
tests read a dictionary instead of changing the process's environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    return None if value is None or not value.strip() else value.strip()


def env_str(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Return the variable's text, or ``default`` when it is unset or empty."""
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """Return the variable as a boolean (1/0, true/false, yes/no, on/off), or ``default``."""
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected 1 or 0 (true/false, yes/no, on/off), got {value!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None
) -> int:
    """Return the variable as a whole number (at least ``minimum``), or ``default``."""
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}: expected a number of at least {minimum}, got {value!r}")
    return number


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    """Return the variable as a comma-separated list (blanks and empty items dropped), or ``default``."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: frozenset[str], *, environ: Mapping[str, str] | None = None
) -> str:
    """Return the variable if it is one of ``choices`` (case as written), or ``default``."""
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}: expected one of {', '.join(sorted(choices))}, got {value!r}")
    return value
