"""The texts the package-level ``unisupport.i18n`` writes, declared here so that `make messages`
(which reads each app's own files) keeps them in the portal's catalogue."""

from __future__ import annotations

from django.utils.translation import ngettext_lazy

CREDITS = ngettext_lazy("{amount} credit", "{amount} credits", "count")
