"""Translated labels for incidents as the portal shows them (the French uses the contract's words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from unisupport.incidents.models import TIMELINE_KINDS

SEVERITY_LABELS = {
    "1": _("Severity 1"),
    "A": _("Severity A"),
    "B": _("Severity B"),
    "C": _("Severity C"),
}

STATE_LABELS = {
    "new": _("New"),
    "in-progress": _("In progress"),
    "waiting-on-customer": _("Waiting on the customer"),
    "mitigated": _("Mitigated"),
    "closed": _("Closed"),
}

CHANNEL_LABELS = {
    "web": _("Web"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "chat": _("Chat"),
}

CLOCK_LABELS = {
    "24x7": _("24x7"),
    "business": _("business hours"),
}

OUTCOME_LABELS = {
    True: _("Met"),
    False: _("Missed"),
    None: _("Pending"),
}

KIND_LABELS = {
    "problem-resolution": _("Problem resolution"),
    "advisory": _("Advisory support"),
}

# SEV-8: the grounds for a downgrade.
REASON_LABELS = {
    "customer-resources": _("The customer does not provide adequate resources"),
    "customer-responses": _("The customer does not provide adequate responses"),
    "obligation-missed": _("A customer obligation was missed (SEV-9)"),
}

VIA_LABELS = {
    "customer": _("the customer"),
    "csam": _("the CSAM (RCA-3)"),
    "mcs-engineer": _("the aligned MCS engineer (RCA-2)"),
}

# INC-2..INC-5, INC-9, SEV-7: what the severity starts by itself, and the rule that says so.
ESCALATION_LABELS = {
    "continuous_24x7": (_("Continuous 24x7 follow-up"), "INC-2"),
    "enhanced_escalation": (_("Enhanced escalation procedure"), "INC-3"),
    "critical_situation_resource": (_("Critical situation resource"), "INC-2"),
    "critical_situation_supervision": (_("Critical situation supervision"), "INC-2"),
    "senior_management_notification": (_("Senior management notification"), "INC-2"),
    "senior_incident_manager": (_("Senior Incident Manager"), "INC-4"),
    "route_to_mcs_engineers": (_("Routed directly to MCS for Azure Platform support engineers"), "INC-5"),
    "rapid_response_team": (_("The Rapid Response team keeps primary responsibility"), "INC-9"),
}

# The timeline kinds, with their labels: the model's choices (incidents.models.TIMELINE_KINDS).
EVENT_LABELS = dict(TIMELINE_KINDS)

# The facts a timeline event carries, as the detail page names them.
DATA_LABELS = {
    "channel": _("channel"),
    "source_portal": _("portal"),
    "proposed_severity": _("proposed severity"),
    "severity": _("severity"),
    "previous": _("previous"),
    "sev9_missed": _("a SEV-9 obligation had been missed"),
    "counts_until": _("a response counts until"),
    "change": _("change"),
    "product": _("product"),
    "site": _("site"),
    "offering": _("offering"),
    "reason": _("reason"),
    "target_minutes": _("target (min)"),
    "clock": _("clock"),
    "due": _("due"),
    "met": _("met"),
    "what": _("what"),
    "via": _("via"),
    "note": _("note"),
    "hours": _("hours"),
    "total": _("total"),
    "user": _("person"),
    "recipients": _("recipients"),
    "obligation": _("obligation"),
    "on_time": _("on time"),
    "scheduled_for": _("scheduled for"),
}
