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

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from unisupport.domain.money import Credits, Hours, Money


def gettext_noop(text: str) -> str:
    """Return ``text`` unchanged: it marks a template for extraction (`make messages`)."""
    return text


class Message(str):
    """An English text that remembers its template and parameters (see the module's docstring)."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, /, **params: object) -> Message:
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
    if isinstance(value, Credits | Hours):
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
    if "money" in value:
        return Money(Decimal(value["money"]), value["currency"])
    if "decimal" in value:
        return Decimal(value["decimal"])
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    raise ValueError(f"not an encoded message parameter: {value!r}")
