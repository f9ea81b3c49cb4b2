"""The actions of the incident detail page (POST forms), each calling the same service as the CLI and the API.

Each action reads its form fields and passes them on; the services decide, and refuse by raising
(RuleViolation with its rule, InvalidInput naming the field, Forbidden for a role that may not act).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.utils.translation import gettext_noop

from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message
from unisupport.incidents import services
from unisupport.incidents.selectors import incident_for, rca_document_for

Action = Callable[[Scope, int, QueryDict, dt.datetime], object]


def _respond(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    return services.respond(
        scope=scope,
        incident_id=pk,
        channel=post.get("channel", ""),
        automated=bool(post.get("automated")),
        at=at,
    )


def _severity(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    return services.change_severity(
        scope=scope, incident_id=pk, to=post.get("to", ""), reason=post.get("reason") or None, at=at
    )


def _state(state: str) -> Action:
    def act(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
        return services.set_state(scope=scope, incident_id=pk, state=state, at=at)

    return act


def _wait(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    return services.request_customer_action(scope=scope, incident_id=pk, what=post.get("what", ""), at=at)


def _answered(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    return services.fulfil_customer_action(scope=scope, incident_id=pk, at=at)


def _rca(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    via = post.get("via") or "customer"
    return services.request_rca(scope=scope, incident_id=pk, via=via, at=at)


def _document(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    return services.ask_rca_document(scope=scope, incident_id=pk, what=post.get("what", "").strip(), at=at)


def _provided(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    number = post.get("document", "")
    if not number.isdigit():
        raise InvalidInput("document", Message(gettext_noop("which document?")))
    rca_document_for(scope, incident_id=pk, document_id=int(number))
    return services.provide_rca_document(scope=scope, document_id=int(number), at=at)


def _advisory(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    try:
        hours = Decimal(post.get("hours", "").replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(
            "hours",
            Message(gettext_noop("expected a number of hours, got {hours!r}"), hours=post.get("hours")),
        ) from None
    return services.log_advisory_time(
        scope=scope, incident_id=pk, hours=hours, note=post.get("note", ""), at=at
    )


def _review(scope: Scope, pk: int, post: QueryDict, at: dt.datetime) -> object:
    text = post.get("scheduled_for", "")
    when = None
    if text:
        zone = ZoneInfo(incident_for(scope, incident_id=pk).site_timezone)
        try:
            when = dt.datetime.fromisoformat(text).replace(tzinfo=zone)  # the site's wall-clock time
        except ValueError:
            raise InvalidInput(
                "scheduled_for", Message(gettext_noop("{text!r} is not a date and time"), text=text)
            ) from None
    return services.request_post_incident_review(scope=scope, incident_id=pk, at=at, scheduled_for=when)


ACTIONS: dict[str, Action] = {
    "respond": _respond,
    "severity": _severity,
    "mitigate": _state("mitigated"),
    "close": _state("closed"),
    "reopen": _state("in-progress"),
    "wait": _wait,
    "answered": _answered,
    "rca": _rca,
    "document": _document,
    "provided": _provided,
    "advisory": _advisory,
    "review": _review,
}
