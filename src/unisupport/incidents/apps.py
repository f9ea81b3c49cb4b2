from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "unisupport.incidents"
    label = "incidents"
    verbose_name = _("Reactive support")

    def ready(self) -> None:
        from unisupport.calendars.models import (
            CalendarClosure,
            CountryCalendar,
            ExtraWorkingDay,
            WeekdayHours,
        )
        from unisupport.incidents.services.recompute import on_calendar_row_changed

        # SEV-7: a calendar change moves the clocks already running on it, in the change's own
        # transaction. The calendars app (below) clears its cached calendars first: its receivers
        # were connected before these (INSTALLED_APPS order), and Django calls them in that order.
        for model in (CalendarClosure, ExtraWorkingDay, CountryCalendar, WeekdayHours):
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    on_calendar_row_changed,
                    sender=model,
                    dispatch_uid=f"recompute-clocks-{name}-{model.__name__}",
                )
