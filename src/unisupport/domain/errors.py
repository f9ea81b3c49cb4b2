"""Errors the domain raises: each names the rule (RULES.md ID) or the field at fault."""

from __future__ import annotations

from unisupport.domain.messages import Message, gettext_noop


class DomainError(Exception):
    """Base class: a decision of the product, with the rule or field that made it.

    Four kinds: :class:`RuleViolation` (a rule refuses), :class:`InvalidInput` (the input cannot be
    read), :class:`NotFound` (nothing the caller may see) and :class:`Forbidden` (the caller may not).

    ``message`` is the English text the CLI and the API print; ``text`` is what went wrong without
    the rule or field before it — a :class:`Message` wherever the portal can translate it.
    """

    def __init__(
        self, message: str, *, rule: str | None = None, field: str | None = None, text: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.field = field
        self.text = message if text is None else text

    def as_dict(self) -> dict[str, str | None]:
        """Return the error as the JSON object the CLI and API print."""
        return {"rule": self.rule, "field": self.field, "message": self.message}


class RuleViolation(DomainError):
    """A rule of RULES.md refuses the operation (CLI exit 1, API 409/422 with the rule ID)."""

    def __init__(self, rule: str, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{rule}: {message}", rule=rule, field=field, text=message)


class InvalidInput(DomainError):
    """The input cannot be read as asked (CLI exit 2, API 422 naming the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field, text=message)


class NotFound(DomainError):
    """The object does not exist, or the caller may not see it (API 404, CLI exit 2).

    Its own kind, not an InvalidInput: whoever handles bad input does not answer "not found" by mistake.
    """

    def __init__(
        self, text: str, *, field: str = "id", rule: str | None = None, message: str | None = None
    ) -> None:
        # ``message`` when the printed text is not "field: text" (the API's older 404s).
        super().__init__(
            f"{field}: {text}" if message is None else message, rule=rule, field=field, text=text
        )


class Forbidden(DomainError):
    """The person may not do this (API 403, CLI exit 2); the field at fault is ``actor``, or none."""

    def __init__(self, text: str, *, field: str | None = "actor") -> None:
        super().__init__(f"{field}: {text}" if field else text, field=field, text=text)


class UnknownService(InvalidInput):
    """A service code that is not in the catalog (CAT-1)."""

    def __init__(self, code: str, field: str = "service") -> None:
        text = Message(gettext_noop("unknown service code {code!r}"), code=code)
        DomainError.__init__(self, f"CAT-1: {text}", rule="CAT-1", field=field, text=text)
        self.code = code


class UnknownProduct(InvalidInput):
    """A product name that is not in the product catalogue."""

    def __init__(self, name: str, field: str = "product") -> None:
        text = Message(gettext_noop("unknown product {name!r}"), name=name)
        DomainError.__init__(self, f"{field}: {text}", field=field, text=text)
        self.name = name


class UnknownCountry(InvalidInput):
    """A country code that is not an ISO 3166-1 alpha-2 code we know."""

    def __init__(self, code: str, field: str = "country") -> None:
        text = Message(gettext_noop("unknown country {code!r} (ISO 3166-1 alpha-2 expected)"), code=code)
        DomainError.__init__(self, f"{field}: {text}", field=field, text=text)
        self.code = code
