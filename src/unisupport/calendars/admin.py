"""The back office edits closures (whole days or hours of days), extra working days and country
hours (per weekday too); due times follow at once."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from unisupport.calendars.models import CalendarClosure, CountryCalendar, ExtraWorkingDay, WeekdayHours


class _RecordsAuthor(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and request.user.is_authenticated:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarClosure)
class CalendarClosureAdmin(_RecordsAuthor):
    list_display = [
        "country",
        "subdivision",
        "timezone",
        "start",
        "end",
        "closed_from",
        "closed_until",
        "reason",
        "created_by",
        "created_at",
    ]
    list_filter = ["country"]
    search_fields = ["country", "reason"]
    date_hierarchy = "start"
    fields = ["country", "subdivision", "timezone", "start", "end", "closed_from", "closed_until", "reason"]


@admin.register(ExtraWorkingDay)
class ExtraWorkingDayAdmin(_RecordsAuthor):
    list_display = ["country", "subdivision", "timezone", "day", "reason", "created_by", "created_at"]
    list_filter = ["country"]
    search_fields = ["country", "reason"]
    fields = ["country", "subdivision", "timezone", "day", "reason"]


@admin.register(CountryCalendar)
class CountryCalendarAdmin(admin.ModelAdmin):
    list_display = ["country", "subdivision", "opening", "closing", "weekdays", "updated_at"]
    search_fields = ["country"]
    fields = ["country", "subdivision", "opening", "closing", "weekdays", "note"]


@admin.register(WeekdayHours)
class WeekdayHoursAdmin(admin.ModelAdmin):
    list_display = ["country", "weekday", "opening", "closing", "updated_at"]
    list_filter = ["country", "weekday"]
    search_fields = ["country"]
    fields = ["country", "weekday", "opening", "closing"]
