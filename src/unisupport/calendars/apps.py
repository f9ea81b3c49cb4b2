from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "unisupport.calendars"
    label = "calendars"
    verbose_name = _("Business calendars")

    def ready(self) -> None:
        from unisupport.calendars.models import (
            CalendarClosure,
            CountryCalendar,
            ExtraWorkingDay,
            WeekdayHours,
        )
        from unisupport.calendars.selectors import forget_calendars

        # The site calendars each process caches are rebuilt after any edit of their rows.
        for model in (CalendarClosure, ExtraWorkingDay, CountryCalendar, WeekdayHours):
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    forget_calendars, sender=model, dispatch_uid=f"forget-calendars-{name}-{model.__name__}"
                )
