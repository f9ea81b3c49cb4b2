"""Incidents as plain data for the CLI's --json and the API (one shape for both)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from unisupport.calendars.instants import utc_iso
from unisupport.incidents.models import Incident


def iso(instant: dt.datetime | None) -> str | None:
    """Return ``instant`` in UTC as ISO 8601 with a Z, or None."""
    return None if instant is None else utc_iso(instant)


def incident_json(incident: Incident, *, now: dt.datetime, timeline: bool = True) -> dict[str, object]:
    """Return an incident: its target and due time (UTC and the site's local time), time left, outcome, timeline."""
    due = incident.response_due_at
    local_due = due.astimezone(ZoneInfo(incident.site_timezone)).isoformat() if due else None
    seconds_left = None
    if due is not None and incident.response_met is None:
        seconds_left = int((due - now).total_seconds())
    data: dict[str, object] = {
        "id": incident.pk,
        "order": incident.order.number,
        "organisation": incident.organisation.name,
        "site": incident.site_country,
        "site_timezone": incident.site_timezone,
        "product": incident.product,
        "title": incident.title,
        "kind": incident.kind,
        "channel": incident.channel,
        "source_portal": incident.source_portal,
        "subscription": incident.subscription or None,
        "callback": {"phone": incident.callback_phone or None, "email": incident.callback_email or None},
        "language": incident.language,
        "proposed_severity": incident.proposed_severity,
        "severity": incident.severity,
        "option_24x7": incident.option_24x7,
        "state": incident.state,
        "opened_at": iso(incident.opened_at),
        "due": iso(due),
        "due_local": local_due,
        "counts_until": iso(incident.response_counts_until or due),
        "target_minutes": incident.target_minutes,
        "clock": incident.clock or None,
        "offering": incident.offering or None,
        "rules": list(incident.rules),
        "seconds_left": seconds_left,
        "first_response_at": iso(incident.first_response_at),
        "response_met": incident.response_met,
        "served_by": list(incident.served_by),
        "excluded": list(incident.excluded),
        "escalation": dict(incident.escalation),
        "assigned_engineer": incident.assigned_engineer.get_username()
        if incident.assigned_engineer
        else None,
        "incident_manager": incident.incident_manager.get_username() if incident.incident_manager else None,
        "mitigated_at": iso(incident.mitigated_at),
        "closed_at": iso(incident.closed_at),
    }
    if timeline:
        data["timeline"] = [
            {"at": iso(e.at), "kind": e.kind, "actor": e.actor_name, "rule": e.rule or None, **e.data}
            for e in incident.timeline.all()
        ]
    return data


def opened_json(incident: Incident) -> dict[str, object]:
    """Return what `incident open` prints: the id, due time, target and the rules that decided it."""
    return {
        "id": incident.pk,
        "due": iso(incident.response_due_at),
        "counts_until": iso(incident.response_counts_until or incident.response_due_at),
        "target_minutes": incident.target_minutes,
        "clock": incident.clock or None,
        "offering": incident.offering or None,
        "rules": list(incident.rules),
        "excluded": list(incident.excluded),
        "escalation": dict(incident.escalation),
    }


ATTAINMENT_COLUMNS = ("breakdown", "key", "incidents", "met", "pending", "attainment")


def attainment_csv(
    report: dict[str, Any],
    *,
    columns: Sequence[str] = ATTAINMENT_COLUMNS,
    words: Mapping[str, str] | None = None,
) -> str:
    """Return the attainment report as CSV: the total, then one row per severity, offering and site.

    The API and the CLI write the columns and breakdowns in English (their contract); the portal
    gives the reader's ``columns`` and ``words``. Numbers always use a dot."""
    said = words or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)

    def row(breakdown: str, key: str, fig: dict[str, Any]) -> list[object]:
        share = fig["attainment"]
        return [
            breakdown,
            key,
            fig["incidents"],
            fig["met"],
            fig["pending"],
            "" if share is None else f"{share:.4f}",
        ]

    writer.writerow(row(said.get("total", "total"), "", report))
    for name in ("by_severity", "by_offering", "by_site"):
        breakdown = name.removeprefix("by_")
        for key, fig in sorted(report[name].items(), key=lambda item: str(item[0])):
            writer.writerow(row(said.get(breakdown, breakdown), said.get(str(key), str(key)), fig))
    return out.getvalue()
