"""Translated labels for incidents as the portal shows them (the French uses the contract's words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
    "senior_incident_manager": (_("Senior Incident Manager assigned automatically"), "INC-4"),
    "route_to_mcs_engineers": (_("Routed directly to MCS for Azure Platform support engineers"), "INC-5"),
    "rapid_response_team": (_("The Rapid Response team keeps primary responsibility"), "INC-9"),
}

EVENT_LABELS = {
    "opened": _("Opened"),
    "offering-excluded": _("Offering does not apply"),
    "target-set": _("Response target set"),
    "escalation": _("Escalation started"),
    "incident-manager-assigned": _("Senior Incident Manager assigned"),
    "critical-situation-resource": _("Critical situation resource assigned"),
    "senior-management-notified": _("Senior management notified"),
    "automatic-acknowledgement": _("Automatic acknowledgement (does not stop the clock)"),
    "contact": _("Contact with the customer"),
    "first-response": _("First response"),
    "severity-changed": _("Severity changed"),
    "state-new": _("State: new"),
    "state-in-progress": _("State: in progress"),
    "state-waiting-on-customer": _("State: waiting on the customer"),
    "state-mitigated": _("State: mitigated"),
    "state-closed": _("State: closed"),
    "customer-action-requested": _("Customer action requested"),
    "customer-action-received": _("Customer answered"),
    "customer-obligation-missed": _("Customer obligation missed"),
    "response-warning": _("75 % of the response target elapsed"),
    "response-breached": _("Response target missed"),
    "rca-requested": _("Root cause analysis requested"),
    "rca-document-asked": _("Document asked for the RCA"),
    "rca-document-provided": _("Document provided for the RCA"),
    "rca-due": _("Root cause analysis due"),
    "post-incident-review": _("Post-incident review requested"),
    "advisory-time": _("Advisory time logged"),
}

# The facts a timeline event carries, as the detail page names them.
DATA_LABELS = {
    "channel": _("channel"),
    "source_portal": _("portal"),
    "proposed_severity": _("proposed severity"),
    "severity": _("severity"),
    "previous": _("previous"),
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
