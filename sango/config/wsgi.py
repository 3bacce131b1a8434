"""WSGI entry point (``gunicorn sango.config.wsgi``).

Defaults to the production settings: a server process should fail closed (no SECRET_KEY, no
start) rather than fall back to debug settings.

Once the site is loaded, what it loaded (modules, URL patterns, the programmes) is frozen out
of the garbage collector's reach, and the youngest generation is collected every 20,000 new
objects rather than every 700: a page of 50 uses creates thousands, and the collections they
triggered walked the whole loaded site — a tenth of the page's time. (Reference counting still
frees nearly everything at once; only cycles wait for a collection.)
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sango.config.settings.prod")

application = get_wsgi_application()

gc.collect()
gc.freeze()
gc.set_threshold(20_000, 20, 20)
