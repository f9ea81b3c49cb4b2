"""Commands for incidents: the opener's raw input read once into typed values, or refused naming the field.

Each interface (API, CLI, portal) has its own spelling of the input; they all build the same
command with ``OpenIncident.parse``, and the service receives typed values only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from unisupport.domain.errors import InvalidInput
from unisupport.domain.incidents import Channel, IncidentKind
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.sla import Severity

E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], value: object, field: str) -> E:
    """Return the member of ``kind`` that ``value`` names (case and spaces aside), or raise InvalidInput."""
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        choices = ", ".join(k.value for k in kind)
        raise InvalidInput(
            field,
            Message(
                gettext_noop("unknown {field} {value!r} (expected one of: {choices})"),
                field=field,
                value=value,
                choices=choices,
            ),
        ) from None


SUBSCRIPTION_LENGTH = 64


@dataclass(frozen=True, slots=True)
class OpenIncident:
    """An incident as its opener describes it (SEV-1: the severity proposed and agreed), in typed values."""

    order_number: str
    site_country: str
    severity: Severity
    proposed_severity: Severity
    product: str
    channel: Channel
    kind: IncidentKind
    title: str
    description: str = ""
    option_24x7: bool = False
    language: str = "en"
    source_portal: str = ""
    production_impact: bool = True
    contacts: tuple[str, ...] = ()
    subscription: str = ""  # the Azure subscription affected (MCS-6: enrolled ones only are prioritised)
    callback_phone: str = ""  # RSP-6: how the vendor reaches the person who opened it
    callback_email: str = ""

    @classmethod
    def parse(
        cls,
        *,
        order_number: str,
        site_country: str,
        severity: object,
        product: str,
        channel: object,
        title: str,
        description: str = "",
        kind: object = IncidentKind.PROBLEM_RESOLUTION,
        option_24x7: bool = False,
        language: str = "en",
        source_portal: str = "",
        proposed_severity: object = None,
        production_impact: bool = True,
        contacts: Iterable[str] = (),
        subscription: str = "",
        callback_phone: str = "",
        callback_email: str = "",
    ) -> OpenIncident:
        """Return the command read from raw input, or raise InvalidInput naming the first bad field."""
        if not title.strip():
            raise InvalidInput("title", Message(gettext_noop("an incident needs a title")))
        severity_ = Severity.parse(severity)
        affected = str(subscription or "").strip().lower()
        if len(affected) > SUBSCRIPTION_LENGTH:
            raise InvalidInput(
                "subscription",
                Message(gettext_noop("at most {limit} characters"), limit=SUBSCRIPTION_LENGTH),
            )
        phone, email = parse_callback(phone=callback_phone, email=callback_email)
        return cls(
            order_number=order_number,
            site_country=site_country,
            severity=severity_,
            proposed_severity=Severity.parse(proposed_severity or severity_, field="proposed_severity"),
            product=product,
            channel=parse_choice(Channel, channel, "channel"),
            kind=parse_choice(IncidentKind, kind, "kind"),
            title=title.strip(),
            description=description,
            option_24x7=option_24x7,
            language=language.strip().lower(),
            source_portal=source_portal,
            production_impact=production_impact,
            contacts=tuple(contacts),
            subscription=affected,
            callback_phone=phone,
            callback_email=email,
        )


PHONE_LENGTH = 40
EMAIL_LENGTH = 254
_PHONE = re.compile(r"\+?[0-9 ().\-]{3,40}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_callback(*, phone: object, email: object) -> tuple[str, str]:
    """Return the callback phone and e-mail (RSP-6) read from raw input, both optional, or raise
    InvalidInput naming ``callback_phone`` or ``callback_email``."""
    phone_ = " ".join(str(phone or "").split())
    email_ = str(email or "").strip()
    if phone_ and (
        len(phone_) > PHONE_LENGTH or not _PHONE.fullmatch(phone_) or not any(c.isdigit() for c in phone_)
    ):
        raise InvalidInput(
            "callback_phone",
            Message(gettext_noop("a phone number of digits, spaces and + ( ) . - (at most {limit} characters)"),
                    limit=PHONE_LENGTH),
        )  # fmt: skip
    if email_ and (len(email_) > EMAIL_LENGTH or not _EMAIL.fullmatch(email_)):
        raise InvalidInput("callback_email", Message(gettext_noop("not an e-mail address")))
    return phone_, email_
