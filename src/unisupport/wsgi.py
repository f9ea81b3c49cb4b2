"""WSGI entry point: each of the server's worker processes (`unisupport serve --workers N`) imports it."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unisupport.settings")
application = get_wsgi_application()

# Every view and API schema is imported now, at start-up, rather than by the first request.
get_resolver().url_patterns  # noqa: B018 (the property loads them)

# What start-up made lives as long as the process: the modules, Django's registries, the URL
# resolver, the API's schemas (over 100,000 objects). Each full collection of the cyclic garbage
# collector traversed them all, a pause of about 50 ms on this project's machine that some
# request waited out every few hundred requests. Frozen, they are left out of collections; they
# were never to be freed anyway.
gc.freeze()
