"""The portal's incident pages: the list, the detail and its timeline, the opening form, actions, SLA attainment.

Thin: every read goes through the selectors and the caller's scope, and every action calls the
same service as `unisupport incident …` and the API; the services decide and refuse (rules, roles).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unisupport import clock
from unisupport.accounts.models import Preferences
from unisupport.accounts.permissions import can_follow_up_incidents, can_open_incidents, can_work_incidents
from unisupport.accounts.scope import Scope, scope_of
from unisupport.catalog.selectors import current_catalog, services_in
from unisupport.domain.errors import DomainError, Forbidden, NotFound, RuleViolation
from unisupport.domain.incident_commands import OpenIncident
from unisupport.domain.service_codes import RSM_ADDON
from unisupport.domain.sla import response_matrix
from unisupport.i18n import localized, translated
from unisupport.incidents import services
from unisupport.incidents.models import Incident, TimelineEvent
from unisupport.incidents.presenters import attainment_csv
from unisupport.incidents.selectors import (
    attainment_report,
    incident_for,
)
from unisupport.incidents.selectors import incident_detail as selected_detail
from unisupport.incidents.services.conversation import conversation
from unisupport.incidents.services.reviews import rca_routes
from unisupport.orders.selectors import orders_for, version_of
from unisupport.portal.csv_labels import attainment_columns, attainment_words
from unisupport.portal.forms import LANGUAGES, AttainmentForm, OpenIncidentForm
from unisupport.portal.incident_labels import (
    CHANNEL_LABELS,
    CLOCK_LABELS,
    DATA_LABELS,
    ESCALATION_LABELS,
    EVENT_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    REASON_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    VIA_LABELS,
)
from unisupport.portal.severity_help import first_response_lines
from unisupport.portal.views import incident_actions as actions
from unisupport.portal.views.common import reader_language

# The offerings that take part in reactive support (a row of RULES.md §8, or the RSM add-on):
# the detail page lists those among the ones serving an incident, not the proactive services.
REACTIVE = frozenset(response_matrix().offerings) | {RSM_ADDON}


def _visible(scope: Scope, pk: int) -> Incident:
    try:
        return incident_for(scope, incident_id=pk)
    except NotFound:
        raise Http404("no such incident") from None


def _order_numbers(scope: Scope) -> list[str]:
    return list(orders_for(scope).order_by("number").values_list("number", flat=True))


def _clock_text(seconds: int) -> str:
    """Return a countdown as the page's script writes it: [N d] HH:MM:SS, or overdue by …."""
    left = abs(seconds)
    days, rest = divmod(left, 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    if days:
        text = f"{days} {_('d')} {text}"
    return f"{_('overdue by')} {text}" if seconds < 0 else text


def response_clock(incident: Incident, at: dt.datetime) -> dict[str, object]:
    """Return the response clock of ``incident``: pending with its countdown, or its outcome."""
    due = incident.response_due_at
    pending = incident.response_met is None and due is not None
    # SEV-2/SEV-7: past the due instant, while the site is closed, no business time elapses: the
    # countdown goes on to the instant until which a response still counts (the next opening).
    until = incident.response_counts_until or due
    deadline = due if due is None or at < due else until
    seconds = int((deadline - at).total_seconds()) if pending else 0  # type: ignore[operator]
    return {
        "pending": pending,
        "deadline": deadline,
        "text": _clock_text(seconds) if pending else "",
        "overdue": pending and seconds < 0,
        "outcome": OUTCOME_LABELS[incident.response_met],
    }


def _exclusion_reason(excluded: Mapping[str, str], incident: Incident) -> str:
    """Return why an offering does not serve the incident, in the reader's language (from its rule)."""
    if excluded["rule"] == "SEV-10":
        service = current_catalog().services.get(excluded["offering"])
        if service is not None:
            return _("delivered in %(languages)s only, not in %(language)s") % {
                "languages": ", ".join(dict(LANGUAGES).get(code, code) for code in service.languages),
                "language": dict(LANGUAGES).get(incident.language, incident.language),
            }
    return translated(excluded["reason"])  # INC-1, INC-6: a constant text of the domain


def _limit_reason(limited: Mapping[str, str], incident: Incident) -> str:
    """Return why an offering's incident management does not serve the incident (SEV-10 Reading)."""
    service = current_catalog().services.get(limited["offering"])
    languages = service.languages if service is not None else ()
    return _(
        "its enhanced incident management is delivered in %(languages)s only, not in %(language)s: "
        "its response target still applies"
    ) % {
        "languages": ", ".join(dict(LANGUAGES).get(code, code) for code in languages),
        "language": dict(LANGUAGES).get(incident.language, incident.language),
    }


# How the facts of a timeline event read (the keys the services record).
VALUE_LABELS: dict[str, Mapping[str, object]] = {
    "channel": CHANNEL_LABELS,
    "clock": CLOCK_LABELS,
    "reason": REASON_LABELS,
    "via": VIA_LABELS,
    "severity": SEVERITY_LABELS,
    "previous": SEVERITY_LABELS,
    "proposed_severity": SEVERITY_LABELS,
}


def _value(key: str, value: object, names: dict[str, str], zone: ZoneInfo) -> str:
    """Return one fact of a timeline event as the page shows it."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    moved = key == "previous" and text.endswith("Z")  # a moved due time: its previous instant
    if key in ("due", "scheduled_for", "counts_until") or moved:
        instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return formats.date_format(instant.astimezone(zone), "SHORT_DATETIME_FORMAT")
    labels: Mapping[str, object] = names if key == "offering" else VALUE_LABELS.get(key, {})
    return str(labels.get(text, text))


def _event(
    event: TimelineEvent, incident: Incident, names: dict[str, str], zone: ZoneInfo
) -> list[tuple[str, str]]:
    """Return the facts worth showing of a timeline event, labelled."""
    kind, data = event.kind, event.data
    if kind == "escalation":
        return [(str(label), rule) for flag, (label, rule) in ESCALATION_LABELS.items() if data.get(flag)]
    facts = []
    for key, value in data.items():
        if key not in DATA_LABELS or value in (None, "", []):
            continue
        if kind == "offering-excluded" and key == "reason":
            text = _exclusion_reason(
                {"rule": event.rule, "offering": data.get("offering", ""), "reason": value}, incident
            )
        elif kind in ("rca-requested", "automatic-acknowledgement") and key == "note":
            text = translated(value)  # a constant text: the domain's RCA decision, SEV-2's reminder
        else:
            text = _value(key, value, names, zone)
        facts.append((str(DATA_LABELS[key]), text))
    return facts


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Return an incident: target, due time (site time and UTC), time left, outcome, coverage, escalation, timeline."""
    scope = scope_of(request.user)
    try:
        detail = selected_detail(scope, incident_id=pk)
    except NotFound:
        raise Http404("no such incident") from None
    incident = detail.incident
    lang = "fr" if (request.LANGUAGE_CODE or "en").startswith("fr") else "en"
    names = {s.code: s.name(lang) for s in services_in()}
    zone = ZoneInfo(incident.site_timezone)
    timeline = [
        {
            "event": e,
            "label": EVENT_LABELS.get(e.kind, e.kind),
            "facts": _event(e, incident, names, zone),
        }
        for e in incident.timeline.all()
    ]
    flags = incident.escalation or {}
    comments, files = conversation(scope, incident_id=pk)
    context = {
        "incident": incident,
        "severity": SEVERITY_LABELS.get(incident.severity, incident.severity),
        "severity_at_due": SEVERITY_LABELS.get(incident.severity_at_due, ""),
        "proposed": SEVERITY_LABELS.get(incident.proposed_severity, incident.proposed_severity),
        "state": STATE_LABELS.get(incident.state, incident.state),
        "kind": KIND_LABELS.get(incident.kind, incident.kind),
        "channel": CHANNEL_LABELS.get(incident.channel, incident.channel),
        "language": dict(LANGUAGES).get(incident.language, incident.language),
        "first_channel": CHANNEL_LABELS.get(incident.first_response_channel, ""),
        "clock_kind": CLOCK_LABELS.get(incident.clock, incident.clock),
        "clock": response_clock(incident, clock.now()),
        "offering": names.get(incident.offering, incident.offering),
        "served": [
            {"code": c, "name": names.get(c, c), "applied": c == incident.offering}
            for c in incident.served_by
            if c in REACTIVE
        ],
        "excluded": [
            {**e, "name": names.get(e["offering"], e["offering"]), "reason": _exclusion_reason(e, incident)}
            for e in incident.excluded
        ],
        "limited": [
            {**e, "name": names.get(e["offering"], e["offering"]), "reason": _limit_reason(e, incident)}
            for e in flags.get("management_limited", [])
        ],
        "escalation": _escalation(incident, flags, timeline),
        "timeline": timeline,
        "rcas": detail.rcas,
        "review": detail.review,
        "advisory_hours": detail.advisory_hours,
        "comments": list(comments.select_related(None)),
        "files": list(files),
        "can_converse": can_follow_up_incidents(scope),
        "vendor": can_work_incidents(scope),
        "customer": scope.is_customer and can_open_incidents(scope),
        "severities": list(SEVERITY_LABELS.items()),
        "reasons": list(REASON_LABELS.items()),
        "vias": [(v, VIA_LABELS.get(v, v)) for v in rca_routes(incident, at=clock.now())],
    }
    return render(request, "incidents/detail.html", context)


# The escalation flags that name a person (INC-2, INC-4): the incident's field holding them.
PERSON_FLAGS = {
    "senior_incident_manager": "incident_manager",
    "critical_situation_resource": "critical_situation_resource",
}


def _escalation(
    incident: Incident, flags: dict[str, object], timeline: list[dict[str, object]]
) -> list[dict[str, object]]:
    """Return what the severity started by itself, each with who was assigned or alerted: a person's
    name, or plainly nobody (an empty roster), never "assigned" when nobody is."""
    notified: list[str] = []
    for line in timeline:
        event = line["event"]
        if getattr(event, "kind", "") == "senior-management-notified":
            notified = list(getattr(event, "data", {}).get("recipients") or [])
    rows: list[dict[str, object]] = []
    for flag, (label, rule) in ESCALATION_LABELS.items():
        if not flags.get(flag):
            continue
        row: dict[str, object] = {"label": label, "rule": rule, "person": None, "nobody": False}
        if flag in PERSON_FLAGS:
            person = getattr(incident, PERSON_FLAGS[flag])
            row["person"] = (person.get_full_name() or person.get_username()) if person else None
            row["nobody"] = person is None
        elif flag == "senior_management_notification":
            row["alerted"] = notified
            row["nobody"] = not notified
        rows.append(row)
    return rows


def _site_choices(scope: Scope) -> list[tuple[str, str]]:
    choices = []
    for order in orders_for(scope).order_by("number"):
        for site in version_of(order).sites.all():
            label = f"{order.number} — {site.country} ({site.timezone})"
            if scope.is_vendor:
                label = f"{order.organisation.name}: {label}"
            choices.append((f"{order.number}/{site.country}", label))
    return choices


# The form's secondary fields, folded under "More details" unless one of them has an error.
MORE_DETAILS = ("language", "source_portal", "channel", "kind", "subscription")


def _callback_of(user: User | AnonymousUser) -> dict[str, str]:
    """Return the person's callback details from their profile (RSP-6): their phone and e-mail."""
    if not isinstance(user, User):
        return {}
    phone = Preferences.objects.filter(user=user).values_list("phone", flat=True).first() or ""
    return {"callback_phone": phone, "callback_email": getattr(user, "email", "") or ""}


@login_required
def open_incident(request: HttpRequest) -> HttpResponse:
    """Return the form that opens an incident, explaining each severity in Annexe A's words; open it on POST."""
    scope = scope_of(request.user)
    if not can_open_incidents(scope):
        raise PermissionDenied(
            _("Incidents are opened by the customer's reactive contacts and administrators.")
        )
    products = sorted(current_catalog().products)
    form = OpenIncidentForm(
        request.POST or None,
        sites=_site_choices(scope),
        products=products,
        vendor=scope.is_vendor,
        initial=_callback_of(request.user) if not scope.is_vendor else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order, site = form.order_and_site()
        try:
            incident = services.open_incident(
                scope=scope,
                command=OpenIncident.parse(
                    order_number=order,
                    site_country=site,
                    severity=data["severity"],
                    product=data["product"],
                    channel=data.get("channel") or "web",
                    kind=data.get("kind") or "problem-resolution",
                    title=data["title"],
                    description=data["description"],
                    option_24x7=data["option_24x7"],
                    language=data["language"],
                    source_portal=data["source_portal"],
                    subscription=data.get("subscription") or "",
                    production_impact=data["production_impact"],
                    callback_phone=data.get("callback_phone") or "",
                    callback_email=data.get("callback_email") or "",
                ),
                at=clock.now(),
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, _refusal(exc))
        else:
            # The tag tells the next page that the draft kept in the browser can go.
            messages.success(
                request, _("Incident #%(id)s opened.") % {"id": incident.pk}, extra_tags="opened"
            )
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/open.html",
        {
            "form": form,
            "severities": SEVERITY_LABELS,
            "first_response": first_response_lines(),
            "products": products,
            "details_open": any(form[name].errors for name in MORE_DETAILS if name in form.fields),
        },
    )


def _refusal(exc: DomainError) -> str:
    """Return why the product refused, in the reader's language (the rule, then its words)."""
    if isinstance(exc, RuleViolation):
        return _("Refused by rule %(rule)s: %(message)s") % {"rule": exc.rule, "message": localized(exc)}
    return _("Not recorded: %(message)s") % {"message": localized(exc)}


# The actions that are hard to undo and tell the customer: they ask for a confirmation.
CONFIRMED = frozenset({"close", "severity"})


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Return to the incident after one action (respond, change severity, mitigate, close, RCA …)."""
    handler = actions.ACTIONS.get(action)
    if handler is None:
        raise Http404("no such action")
    scope = scope_of(request.user)
    if action in CONFIRMED and can_work_incidents(scope) and request.POST.get("confirm") != "on":
        # A risky action is confirmed by a tick in its form (without JavaScript too): nothing is written.
        messages.error(request, _("Nothing changed: tick the box to confirm."))
        return redirect("incidents:detail", pk=pk)
    try:
        handler(scope, pk, request.POST, clock.now())
    except NotFound:
        raise Http404("no such incident") from None
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Recorded."))
    return redirect("incidents:detail", pk=pk)


# -- SLA attainment ------------------------------------------------------------------------

BAR_WIDTH = 360


def _period(request: HttpRequest, scope: Scope) -> tuple[AttainmentForm, dict[str, Any]]:
    """Return the bound filter form and the report it asks for (this year to date by default)."""
    today = clock.now().date()
    chosen: dict[str, Any] = {"start": dt.date(today.year, 1, 1), "end": today + dt.timedelta(days=1)}
    query = request.GET or {key: value.isoformat() for key, value in chosen.items()}
    form = AttainmentForm(query, orders=_order_numbers(scope))
    if form.is_valid():
        chosen = form.cleaned_data
    start = dt.datetime.combine(chosen["start"], dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(chosen["end"], dt.time(), tzinfo=dt.UTC)
    return form, attainment_report(scope, order=chosen.get("order") or None, start=start, end=end)


def _bars(by_severity: dict[str, dict[str, Any]]) -> list[dict[str, object]]:
    """Return the chart's bars, one per severity: attainment as a share of BAR_WIDTH."""
    bars = []
    for index, (severity, label) in enumerate(SEVERITY_LABELS.items()):
        fig = by_severity.get(severity, {"incidents": 0, "met": 0, "pending": 0, "attainment": None})
        share = fig["attainment"]
        bars.append(
            {
                "label": label,
                "y": 10 + index * 40,
                "width": round(BAR_WIDTH * share, 1) if share is not None else 0,
                "percent": _percent(share),
                **fig,
            }
        )
    return bars


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{formats.number_format(share * 100, decimal_pos=1)} %"


@login_required
def attainment(request: HttpRequest) -> HttpResponse:
    """Return the SLA attainment of first responses per severity, offering and site, with a chart."""
    scope = scope_of(request.user)
    form, report = _period(request, scope)
    lang = "fr" if request.LANGUAGE_CODE.startswith("fr") else "en"
    offerings = {s.code: s.name(lang) for s in services_in()}

    def rows(name: str, labels: dict[str, Any]) -> list[dict[str, object]]:
        return [
            {"label": labels.get(key, key), "percent": _percent(fig["attainment"]), **fig}
            for key, fig in sorted(report[name].items(), key=lambda item: str(item[0]))
        ]

    context = {
        "form": form,
        "report": report,
        "percent": _percent(report["attainment"]),
        "bars": _bars(report["by_severity"]),
        "bar_width": BAR_WIDTH,
        "csv_query": urlencode({k: v for k, v in request.GET.items() if v}),
        "tables": [
            (_("By severity"), rows("by_severity", SEVERITY_LABELS)),
            (_("By offering"), rows("by_offering", offerings)),
            (_("By support site"), rows("by_site", {})),
        ],
    }
    return render(request, "incidents/attainment.html", context)


@login_required
def attainment_export(request: HttpRequest) -> HttpResponse:
    """Return the SLA attainment report as CSV."""
    _form, report = _period(request, scope_of(request.user))
    # In English the export keeps the API's machine columns; in French, the reader's words.
    french = reader_language() == "fr"
    text = (
        attainment_csv(report, columns=attainment_columns(), words=attainment_words(report))
        if french
        else attainment_csv(report)
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sla-attainment.csv"'
    return response
