"""Business calendars of support locations: the back office's closures and extra working days (SEV-7)."""
