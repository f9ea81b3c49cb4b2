"""The admin's add and change pages with every field labelled (issue 15 §3): Django's split date and
time widget writes "Date:" and "Time:" as plain text, and a tabular inline's inputs sit under a column
header only; these name each input."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.forms import Field
from django.http import HttpRequest


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each with its own <label for>."""

    template_name = "admin/widgets/labelled_split_datetime.html"


# For a ModelAdmin's ``formfield_overrides``: its date-times with labelled inputs.
LABELLED_DATETIMES: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DateTimeField: {"widget": LabelledSplitDateTime}
}


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs carry their column's name (aria-label)."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(field.label or db_field.verbose_name))
        return field
