"""The vendor's list filters and back-office forms: they read the input; the selectors and services decide."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from unisupport.portal.forms import ANY, SEVERITIES
from unisupport.portal.incident_labels import STATE_LABELS

# The largest order file the portal reads (a real order is a few kilobytes): the confirm step
# carries it back base64-encoded, within Django's 2.5 MB request cap (DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_ORDER_FILE_BYTES = 1_000_000


class CustomersForm(forms.Form):
    """The "My customers" list's search, filters and sort."""

    q = forms.CharField(label=_("Search (customer, agreement, order)"), required=False, max_length=100)
    mine = forms.ChoiceField(
        label=_("Agreements"),
        required=False,
        choices=[("1", _("Mine (I am their CSAM)")), ("0", _("All customers"))],
    )
    standing = forms.ChoiceField(
        label=_("Standing"),
        required=False,
        choices=[*ANY, ("in-force", _("In force")), ("ended", _("Ended or terminated"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("customer", _("Customer")),
            ("code", _("Agreement")),
            ("country", _("Host site")),
            ("term-end", _("Term end, soonest first")),
            ("-term-end", _("Term end, latest first")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class QueueForm(forms.Form):
    """The incident queue's filters and sort."""

    customer = forms.TypedChoiceField(label=_("Customer"), required=False, coerce=int, empty_value=None)
    order = forms.ChoiceField(label=_("Order"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=ANY + list(STATE_LABELS.items()))
    severity = forms.ChoiceField(label=_("Severity"), required=False, choices=ANY + SEVERITIES)
    site = forms.CharField(
        label=_("Support site (country)"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
    )
    breached = forms.BooleanField(label=_("Response target missed"), required=False)
    open = forms.BooleanField(label=_("Open only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("time-left", _("Time left, breached first")),
            ("newest", _("Newest first")),
            ("severity", _("Severity")),
        ],
    )
    # The incident the page starts after (a keyset, incidents.queue): the same cost on any page.
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: object,
        orders: Sequence[str],
        customers: Sequence[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["order"].choices = ANY + [(o, o) for o in orders]  # type: ignore[attr-defined]
        self.fields["customer"].choices = ANY + [(str(pk), name) for pk, name in customers]  # type: ignore[attr-defined]
        if not customers:
            del self.fields["customer"]


class OrderFileForm(forms.Form):
    """An order file to validate: uploaded, or pasted."""

    file = forms.FileField(label=_("Order file (YAML)"), required=False)
    text = forms.CharField(
        label=_("Or paste the order file"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self) -> dict[str, object]:
        """Return the form's data with ``source``: the file's text, refused when empty, too large or not UTF-8."""
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_ORDER_FILE_BYTES:
                raise forms.ValidationError(
                    _("The file is too large: an order file may have at most %(kb)s kB."),
                    params={"kb": MAX_ORDER_FILE_BYTES // 1000},
                )
            raw = upload.read()
        else:
            raw = str(data.get("text") or "").encode()
            if len(raw) > MAX_ORDER_FILE_BYTES:
                raise forms.ValidationError(
                    _("The file is too large: an order file may have at most %(kb)s kB."),
                    params={"kb": MAX_ORDER_FILE_BYTES // 1000},
                )
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not source.strip():
            raise forms.ValidationError(_("Choose an order file or paste its text."))
        data["source"] = source
        return data


class ConfirmImportForm(forms.Form):
    """The validated file, carried back with its fingerprint: the import refuses it if it changed."""

    source = forms.CharField(widget=forms.HiddenInput, strip=False)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=200)


class LineDecisionForm(forms.Form):
    """ORD-8: accept or refuse a line awaiting acceptance."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))])
    confirm = forms.BooleanField(label=_("I confirm this decision"), required=True)


class CsamForm(forms.Form):
    """The CSAM an agreement is assigned (MC-3)."""

    csam = forms.TypedChoiceField(label=_("CSAM"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: object, people: Sequence[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["csam"].choices = [("", _("None"))] + [(str(pk), name) for pk, name in people]  # type: ignore[attr-defined]


class ClosureForm(forms.Form):
    """A closure of a country's support locations: whole days, or some hours of each (SEV-7)."""

    country = forms.CharField(
        label=_("Country (ISO code, e.g. FR)"), max_length=2, widget=forms.TextInput(attrs={"size": 3})
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("To (the last day, optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed_from = forms.TimeField(
        label=_("Closed from (local time, optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    closed_until = forms.TimeField(
        label=_("Closed until (local time, optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ListFilterForm(forms.Form):
    """A vendor list's filters: customer (the vendor only), order and site."""

    customer = forms.TypedChoiceField(label=_("Customer"), required=False, coerce=int, empty_value=None)
    order = forms.ChoiceField(label=_("Order"), required=False)
    site = forms.CharField(
        label=_("Support site (country)"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
    )

    def __init__(
        self, *args: object, orders: Sequence[str], customers: Sequence[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["order"].choices = ANY + [(o, o) for o in orders]  # type: ignore[attr-defined]
        self.fields["customer"].choices = ANY + [(str(pk), name) for pk, name in customers]  # type: ignore[attr-defined]
        if not customers:
            del self.fields["customer"]
