"""The filter bar the vendor's lists share (customer, order, site): its choices in two queries, whatever the list."""

from __future__ import annotations

from django.http import HttpRequest

from unisupport.accounts.models import Organisation
from unisupport.accounts.roles import OrganisationKind
from unisupport.accounts.scope import Scope
from unisupport.orders.selectors import orders_for
from unisupport.portal.vendor_forms import ListFilterForm


def list_filters(request: HttpRequest, scope: Scope) -> ListFilterForm:
    """Return the list's filter form bound to the query string (a customer's people get no customer filter)."""
    customers = (
        list(Organisation.objects.filter(kind=OrganisationKind.CUSTOMER).values_list("pk", "name"))
        if scope.is_vendor
        else []
    )
    orders = list(orders_for(scope).order_by("number").values_list("number", flat=True))
    return ListFilterForm(request.GET or None, orders=orders, customers=customers)
