"""Texts the domain writes for people: English, and translatable by the interfaces.

The domain speaks English: the CLI and the API print its texts byte for byte, and the ledger keeps
them as its audit trail. A :class:`Message` is such a text *and* how it was made: an English
template (``str.format`` fields) and its parameters, so that the portal can show it in its
reader's language (``unisupport.i18n.localized``). A Message is a ``str`` — its English
text — so whatever stores, prints or compares it sees exactly the text it saw before.

Templates are wrapped in :func:`gettext_noop` where they are written: `make messages` (xgettext
knows the name) extracts them into the domain's catalogue, ``domain/locale``.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from unisupport.domain.money import Credits, Events, Hours, Money

# A value quoted in a message is quoted short: a container is never expanded whole (a YAML file of
# aliases makes a small input a huge value), a long text is cut (issue 17 §0).
LONGEST_TEXT = 1000
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 120
_SHORT.maxlevel = 2
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = _SHORT.maxfrozenset = 6


def quoted(value: object) -> str:
    """Return ``repr(value)`` in at most 200 characters, without expanding what it holds."""
    text = _SHORT.repr(value)
    return text if len(text) <= 200 else text[:199] + "…"


class _Quoted:
    """A message parameter too large to be written whole: it writes its short quotation."""

    __slots__ = ("text",)

    def __init__(self, value: object) -> None:
        self.text = quoted(value)

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


def _short(value: object) -> object:
    if isinstance(value, list | tuple | dict | set | frozenset):
        return _Quoted(value)
    if isinstance(value, str) and not isinstance(value, Message) and len(value) > LONGEST_TEXT:
        return value[:LONGEST_TEXT] + "…"
    return value


def gettext_noop(text: str) -> str:
    """Return ``text`` unchanged: it marks a template for extraction (`make messages`)."""
    return text


class Message(str):
    """An English text that remembers its template and parameters (see the module's docstring)."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, /, **params: object) -> Message:
        params = {k: _short(v) for k, v in params.items()}
        text = super().__new__(cls, template.format(**params))
        text.template = template
        text.params = params
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.params)))

    def as_json(self) -> dict[str, object]:
        """Return the template and its parameters as JSON-able data (``from_json`` reads it back)."""
        return {"template": self.template, "params": {k: _encode(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        """Return the message that ``as_json`` wrote, with its English text exactly as it was."""
        return cls(data["template"], **{k: _decode(v) for k, v in data["params"].items()})


def _rebuild(template: str, params: dict[str, object]) -> Message:
    return Message(template, **params)


def _encode(value: object) -> object:
    # Tagged so that a parameter reads back as the type it was, and so renders the same text.
    if isinstance(value, Message):
        return {"message": value.as_json()}
    if isinstance(value, Credits | Hours | Events):
        return {type(value).__name__.lower(): str(value.amount)}
    if isinstance(value, Money):
        return {"money": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def _decode(value: object) -> object:
    if not isinstance(value, dict):
        return value
    if "message" in value:
        return Message.from_json(value["message"])
    if "credits" in value:
        return Credits(Decimal(value["credits"]))
    if "hours" in value:
        return Hours(Decimal(value["hours"]))
    if "events" in value:
        return Events(Decimal(value["events"]))
    if "money" in value:
        return Money(Decimal(value["money"]), value["currency"])
    if "decimal" in value:
        return Decimal(value["decimal"])
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    raise ValueError(f"not an encoded message parameter: {value!r}")
