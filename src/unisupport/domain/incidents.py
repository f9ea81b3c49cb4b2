"""Incidents (problem-resolution and advisory requests): states, channels, coverage and escalation.

What the service description decides when an incident is opened — which offerings cover it
(INC-1 channels, INC-6 event incidents, SEV-10 languages), which escalation starts by itself
(INC-2..INC-5, INC-9) — as pure functions of the incident's facts. The response target itself
comes from ``unisupport.domain.sla``; severity changes from ``unisupport.domain.severity``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from unisupport.domain.catalog import Catalog, Product
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Hours, plain
from unisupport.domain.service_codes import (
    ARR,
    EVENT_TIERS,
    FOUNDATIONAL,
    PLATFORM_TIERS,
    REDE,
    RSM_ADDON,
    SECURITY_CLOUD,
    UER,
)
from unisupport.domain.sla import Severity, scope_refusal

EVENT_MARKER = "MCSAE"  # INC-6: event incidents carry it in their description
AZURE_PORTAL = "Azure portal"
ADVISORY_HOURS_CAP = Decimal(6)  # HRS-3
# The offerings that bear on an incident: the response-target table's rows (§8), the reactive
# support management add-on and REDE (whose engineer joins Sev 1 and A incidents, REDE-1).
REACTIVE_OFFERINGS = frozenset(
    {FOUNDATIONAL, UER, *PLATFORM_TIERS, *EVENT_TIERS, SECURITY_CLOUD, ARR, RSM_ADDON, REDE}
)


class IncidentState(StrEnum):
    """Where an incident stands. Closed is final."""

    NEW = "new"
    IN_PROGRESS = "in-progress"
    WAITING_ON_CUSTOMER = "waiting-on-customer"
    MITIGATED = "mitigated"
    CLOSED = "closed"


class TimelineKind(StrEnum):
    """What a timeline event records. The timeline is never edited; each kind names what happened."""

    OPENED = "opened"
    OFFERING_EXCLUDED = "offering-excluded"
    TARGET_SET = "target-set"
    ESCALATION = "escalation"
    INCIDENT_MANAGER_ASSIGNED = "incident-manager-assigned"
    CRITICAL_SITUATION_RESOURCE = "critical-situation-resource"
    SENIOR_MANAGEMENT_NOTIFIED = "senior-management-notified"
    AUTOMATIC_ACKNOWLEDGEMENT = "automatic-acknowledgement"
    CONTACT = "contact"
    FIRST_RESPONSE = "first-response"
    SEVERITY_CHANGED = "severity-changed"
    STATE_NEW = "state-new"
    STATE_IN_PROGRESS = "state-in-progress"
    STATE_WAITING_ON_CUSTOMER = "state-waiting-on-customer"
    STATE_MITIGATED = "state-mitigated"
    STATE_CLOSED = "state-closed"
    CUSTOMER_ACTION_REQUESTED = "customer-action-requested"
    CUSTOMER_ACTION_RECEIVED = "customer-action-received"
    CUSTOMER_OBLIGATION_MISSED = "customer-obligation-missed"
    RESPONSE_WARNING = "response-warning"
    RESPONSE_BREACHED = "response-breached"
    RCA_REQUESTED = "rca-requested"
    RCA_DOCUMENT_ASKED = "rca-document-asked"
    RCA_DOCUMENT_PROVIDED = "rca-document-provided"
    RCA_DUE = "rca-due"
    RCA_DUE_MOVED = "rca-due-moved"
    DUE_RECOMPUTED = "due-recomputed"
    POST_INCIDENT_REVIEW = "post-incident-review"
    DIAGNOSTICS_ASKED = "diagnostics-asked"  # RSP-6
    DIAGNOSTICS_PROVIDED = "diagnostics-provided"
    ADVISORY_TIME = "advisory-time"
    COMMENTED = (
        "commented"  # the conversation: a customer-visible comment (internal notes stay off the timeline)
    )
    FILE_ATTACHED = "file-attached"

    @classmethod
    def state(cls, state: IncidentState) -> TimelineKind:
        """Return the kind that records a move to ``state``."""
        return cls(f"state-{state.value}")


# Which state may follow which: mitigation can be undone (the problem came back) until closure.
TRANSITIONS: dict[IncidentState, frozenset[IncidentState]] = {
    IncidentState.NEW: frozenset(
        {
            IncidentState.IN_PROGRESS,
            IncidentState.WAITING_ON_CUSTOMER,
            IncidentState.MITIGATED,
            IncidentState.CLOSED,
        }
    ),
    IncidentState.IN_PROGRESS: frozenset(
        {IncidentState.WAITING_ON_CUSTOMER, IncidentState.MITIGATED, IncidentState.CLOSED}
    ),
    IncidentState.WAITING_ON_CUSTOMER: frozenset(
        {IncidentState.IN_PROGRESS, IncidentState.MITIGATED, IncidentState.CLOSED}
    ),
    IncidentState.MITIGATED: frozenset({IncidentState.IN_PROGRESS, IncidentState.CLOSED}),
    IncidentState.CLOSED: frozenset(),
}


def check_transition(current: IncidentState, target: IncidentState) -> IncidentState:
    """Return ``target`` if an incident in ``current`` may move there, else raise InvalidInput."""
    if target not in TRANSITIONS[current]:
        raise InvalidInput(
            "state",
            Message(
                gettext_noop("an incident that is {current} cannot become {target}"),
                current=current,
                target=target,
            ),
        )
    return target


class IncidentKind(StrEnum):
    """Problem resolution (break/fix) or advisory support (HRS-3)."""

    PROBLEM_RESOLUTION = "problem-resolution"
    ADVISORY = "advisory"


class Channel(StrEnum):
    """How the request came in (INC-1)."""

    PHONE = "phone"
    WEB = "web"
    EMAIL = "email"
    CHAT = "chat"


def check_channel(*, kind: IncidentKind, channel: Channel, offerings: Iterable[str]) -> None:
    """Raise RuleViolation (INC-1) if a request of ``kind`` cannot come in by ``channel``."""
    active = set(offerings)
    if kind is IncidentKind.ADVISORY:
        allowed = {Channel.EMAIL, Channel.CHAT, Channel.PHONE}
        what = gettext_noop("advisory requests come by e-mail, chat or phone, not by {channel}")
    elif active & set(PLATFORM_TIERS):
        allowed = {Channel.PHONE, Channel.WEB, Channel.CHAT}
        what = gettext_noop(
            "problem-resolution requests are opened by phone or on the web (or chat, under MCS for Azure "
            "Platform), not by {channel}"
        )
    else:
        allowed = {Channel.PHONE, Channel.WEB}
        what = gettext_noop("problem-resolution requests are opened by phone or on the web, not by {channel}")
    if channel not in allowed:
        raise RuleViolation("INC-1", Message(what, channel=channel), field="channel")


# SEV-10 Reading: UER's language limit is its Enhanced Incident Management's (« Gestion Améliorée des
# Incidents en anglais, chinois et japonais »), not its accelerated response: the 30-minute target
# holds in any language; only its Senior Incident Manager is limited to those languages.
MANAGEMENT_LANGUAGES_ONLY = frozenset({UER})


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An offering that does not cover the incident, and the rule that says why."""

    offering: str
    rule: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        """Return the exclusion as JSON."""
        return {"offering": self.offering, "rule": self.rule, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Coverage:
    """The offerings that may serve an incident, and those that cannot (with why)."""

    offerings: frozenset[str]
    excluded: tuple[Exclusion, ...] = ()
    # Offerings whose response target applies but whose enhanced incident management is not
    # delivered in the incident's language (SEV-10 Reading): no Senior Incident Manager from them.
    limited: tuple[Exclusion, ...] = ()

    @property
    def managed(self) -> frozenset[str]:
        """Return the offerings whose incident management serves the incident (escalation reads these)."""
        return self.offerings - {e.offering for e in self.limited}


def coverage(
    *,
    active: Iterable[str],
    language: str,
    channel: Channel,
    source_portal: str = "",
    description: str = "",
    catalog: Catalog,
    subscription: str = "",
    enrolled: frozenset[str] = frozenset(),
) -> Coverage:
    """Return which of the ``active`` offerings can serve an incident in ``language`` (SEV-10, INC-1, INC-6).

    Foundational always serves. Response-time offerings whose delivery languages exclude the
    incident's language do not apply (SEV-10); Rapid Response takes requests only through the
    cloud services portal (INC-1); event incidents are opened through the Azure portal with
    MCSAE in the description (INC-6). On an order whose subscriptions are enrolled (``enrolled``),
    MCS for Azure Platform serves only an incident on one of them (MCS-6): one on another
    subscription is not prioritised under MCS, and one naming none is refused, naming the field.
    """
    lang = language.strip().lower()
    keep: set[str] = {FOUNDATIONAL}
    excluded: list[Exclusion] = []
    limited: list[Exclusion] = []
    for code in sorted(set(active) - {FOUNDATIONAL}):
        service = catalog.services.get(code)
        if service is None:
            raise InvalidInput(
                "offering", Message(gettext_noop("CAT-1: unknown service code {code!r}"), code=code)
            )
        if code not in REACTIVE_OFFERINGS:
            continue  # workshops, credits …: bought on the order, but they do not serve incidents
        if service.languages and lang not in service.languages and code in MANAGEMENT_LANGUAGES_ONLY:
            limited.append(
                Exclusion(
                    code,
                    "SEV-10",
                    Message(
                        gettext_noop(
                            "{service}'s enhanced incident management is delivered in {languages} only, "
                            "not in {language}: its response target still applies"
                        ),
                        service=service.name_en,
                        languages=", ".join(service.languages),
                        language=lang,
                    ),
                )
            )
            keep.add(code)
            continue
        if service.languages and lang not in service.languages:
            excluded.append(
                Exclusion(
                    code,
                    "SEV-10",
                    Message(
                        gettext_noop("{service} is delivered in {languages} only, not in {language}"),
                        service=service.name_en,
                        languages=", ".join(service.languages),
                        language=lang,
                    ),
                )
            )
            continue
        if code == ARR and (channel is not Channel.WEB or source_portal != AZURE_PORTAL):
            excluded.append(
                Exclusion(
                    code,
                    "INC-1",
                    Message(
                        gettext_noop(
                            "Azure Rapid Response takes requests only through the cloud services portal"
                        )
                    ),
                )
            )
            continue
        if code in PLATFORM_TIERS and enrolled:
            if not subscription:
                raise InvalidInput(
                    "subscription",
                    Message(
                        gettext_noop(
                            "MCS for Azure Platform covers the order's enrolled subscriptions only (MCS-6): "
                            "name the incident's subscription"
                        )
                    ),
                )
            if subscription.strip().lower() not in enrolled:
                excluded.append(
                    Exclusion(
                        code,
                        "MCS-6",
                        Message(
                            gettext_noop(
                                "subscription {subscription} is not enrolled on the order: "
                                "the incident is not prioritised under MCS"
                            ),
                            subscription=subscription,
                        ),
                    )
                )
                continue
        if code in EVENT_TIERS and (channel is not Channel.WEB or EVENT_MARKER not in description.upper()):
            excluded.append(
                Exclusion(
                    code,
                    "INC-6",
                    Message(
                        gettext_noop(
                            "event incidents are opened through the Azure portal with MCSAE in the description"
                        )
                    ),
                )
            )
            continue
        keep.add(code)
    return Coverage(frozenset(keep), tuple(excluded), tuple(limited))


@dataclass(frozen=True, slots=True)
class Escalation:
    """What starts by itself when an incident's severity is agreed (INC-2..INC-5, INC-9)."""

    continuous_24x7: bool = False
    enhanced_escalation: bool = False
    critical_situation_resource: bool = False
    critical_situation_supervision: bool = False
    senior_management_notification: bool = False
    senior_incident_manager: bool = False
    route_to_mcs_engineers: bool = False
    rapid_response_team: bool = False
    rules: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """Return the flags as JSON."""
        return {
            "continuous_24x7": self.continuous_24x7,
            "enhanced_escalation": self.enhanced_escalation,
            "critical_situation_resource": self.critical_situation_resource,
            "critical_situation_supervision": self.critical_situation_supervision,
            "senior_management_notification": self.senior_management_notification,
            "senior_incident_manager": self.senior_incident_manager,
            "route_to_mcs_engineers": self.route_to_mcs_engineers,
            "rapid_response_team": self.rapid_response_team,
            "rules": list(self.rules),
        }


def escalation(
    *, severity: Severity, offerings: Iterable[str], product: Product, option_24x7: bool = False
) -> Escalation:
    """Return the escalation an incident of ``severity`` gets under the offerings that cover it.

    An offering whose scope leaves ``product`` out (SEV-6, MCS-6: Azure Maps, Azure US Government
    under MCS for Azure Platform …) escalates nothing, as it sets no response target: coverage
    is decided once, by domain.sla.scope_refusal, for both.
    """
    served = {code for code in offerings if scope_refusal(code, product) is None}
    critical = severity in (Severity.SEV_1, Severity.A)
    rules: list[str] = []
    if critical:
        rules += ["INC-2", "INC-3"]
    platform = bool(served & set(PLATFORM_TIERS)) and product.is_azure
    senior_im = (UER in served and critical) or (platform and severity is Severity.SEV_1)
    if senior_im:
        rules.append("INC-4")
    route = platform and severity in (Severity.B, Severity.C)
    if route:
        rules.append("INC-5")
    rapid = ARR in served and product.is_azure
    if rapid:
        rules.append("INC-9")
    if option_24x7 and severity is Severity.B:
        rules.append("SEV-7")
    return Escalation(
        continuous_24x7=critical or (option_24x7 and severity is Severity.B),
        enhanced_escalation=critical,
        critical_situation_resource=severity is Severity.SEV_1,
        critical_situation_supervision=severity is Severity.A,
        senior_management_notification=severity is Severity.SEV_1,
        senior_incident_manager=senior_im,
        route_to_mcs_engineers=route,
        rapid_response_team=rapid,
        rules=tuple(dict.fromkeys(rules)),
    )


def check_advisory_time(*, logged: Hours, adding: Hours) -> None:
    """Raise RuleViolation (HRS-3) if ``adding`` would take an advisory request past 6 hours."""
    if adding.amount <= 0:
        raise InvalidInput(
            "hours",
            Message(gettext_noop("must be greater than zero, got {amount}"), amount=plain(adding.amount)),
        )
    total = logged + adding
    if total.amount > ADVISORY_HOURS_CAP:
        raise RuleViolation(
            "HRS-3",
            Message(
                gettext_noop(
                    "advisory support is limited to {cap} hours per incident; "
                    "{logged:g} h are logged, {adding:g} h more would make {total:g} h"
                ),
                cap=ADVISORY_HOURS_CAP,
                logged=plain(logged.amount),
                adding=plain(adding.amount),
                total=plain(total.amount),
            ),
            field="hours",
        )


def check_post_incident_review(*, served_by: Iterable[str], sev1: bool) -> None:
    """Return None if UER's post-incident review may be requested, else raise (INC-8).

    Unified Enhanced Response must serve the incident, and the incident must be of Severity 1
    (``sev1``: it is, or it was opened at Sev 1).
    """
    if UER not in served_by:
        raise RuleViolation(
            "INC-8",
            Message(
                gettext_noop(
                    "post-incident reviews are part of Unified Enhanced Response, which does not cover this incident"
                )
            ),
        )
    if not sev1:
        raise RuleViolation(
            "INC-8", Message(gettext_noop("UER's post-incident review is for Sev 1 incidents"))
        )
