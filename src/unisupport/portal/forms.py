"""The portal's incident forms: they read the input; the services decide (rules, roles, targets)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from unisupport.portal.incident_labels import CHANNEL_LABELS, SEVERITY_LABELS

# SEV-10: the language the incident is to be handled in (native names: not translated).
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pt", "Português"),
    ("ja", "日本語"),
    ("zh", "中文"),
]
SEVERITIES = list(SEVERITY_LABELS.items())
ANY = [("", _("All"))]


class OpenIncidentForm(forms.Form):
    """An incident as the reactive contact describes it; the vendor's staff also say how it came in."""

    site = forms.ChoiceField(label=_("Order and support site"))
    # Typed with suggestions (a datalist): the catalogue has too many products for a phone's picker.
    product = forms.ChoiceField(
        label=_("Product"), widget=forms.TextInput(attrs={"list": "product-list", "autocomplete": "off"})
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=SEVERITIES, widget=forms.RadioSelect)
    option_24x7 = forms.BooleanField(label=_("24x7 option (Severity B)"), required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.ChoiceField(label=_("Language of the support"), choices=LANGUAGES, initial="en")
    source_portal = forms.ChoiceField(
        label=_("Submitted through"),
        choices=[("", _("this services portal")), ("Azure portal", _("the Azure portal"))],
        required=False,
    )
    production_impact = forms.BooleanField(label=_("Production is affected"), required=False, initial=True)
    # RSP-6: how we reach the person who opens it (prefilled from their profile).
    callback_phone = forms.CharField(
        label=_("Callback phone number"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    callback_email = forms.EmailField(
        label=_("Callback e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    subscription = forms.CharField(
        label=_("Azure subscription affected"),
        max_length=64,
        required=False,
        help_text=_(
            "Asked under MCS for Azure Platform: only enrolled subscriptions are prioritised (MCS-6)."
        ),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=list(CHANNEL_LABELS.items()), initial="web")
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("problem-resolution", _("Problem resolution")), ("advisory", _("Advisory support"))],
        initial="problem-resolution",
    )

    def __init__(
        self,
        *args: object,
        sites: Sequence[tuple[str, str]],
        products: Sequence[str],
        vendor: bool,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["site"].choices = list(sites)  # type: ignore[attr-defined]
        self.fields["product"].choices = [("", "—"), *((p, p) for p in products)]  # type: ignore[attr-defined]
        if not vendor:
            # A customer on the portal is on the web, and opens problem-resolution requests (INC-1).
            del self.fields["channel"]
            del self.fields["kind"]
        else:
            # The vendor's staff open incidents phoned in: the caller's details may come later.
            self.fields["callback_phone"].required = False
            self.fields["callback_email"].required = False

    def order_and_site(self) -> tuple[str, str]:
        """Return the (order number, site country) chosen."""
        order, _sep, site = self.cleaned_data["site"].rpartition("/")
        return order, site


class AttainmentForm(forms.Form):
    """The SLA attainment page's period and order."""

    order = forms.ChoiceField(label=_("Order"), required=False)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (exclusive)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, orders: Sequence[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["order"].choices = ANY + [(o, o) for o in orders]  # type: ignore[attr-defined]
