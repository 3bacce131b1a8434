"""Her digital voucher (利用券, or 熊本市's 利用カード) on her phone: the number and the QR code a
facility checks, what remains, what to bring, her uses with the copay she paid; readable
offline once opened, saved to the home screen, and printable.

Offline: ``sw.js`` (served from ``/my/`` so that its scope is マイページ) keeps the voucher pages
she opened and their styles in the browser's Cache Storage on her device, and serves them when
there is no connection. The pages are ``Cache-Control: private`` so that no shared cache keeps
them; logging out clears what the browser holds (``Clear-Site-Data``, see ``views.home``)."""

from __future__ import annotations

import json
import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sango.portals.my import selectors
from sango.portals.my.auth import mother_required

# The name of the Cache Storage the service worker and the page share (bump to drop old copies).
OFFLINE_CACHE = "my-vouchers-v1"


@require_GET
@mother_required
@cache_control(private=True, no_cache=True)
def voucher(request: HttpRequest, pk: int) -> HttpResponse:
    """The voucher she holds (someone else's is a 404)."""
    page = selectors.voucher_page(request.user, pk)
    return render(request, "my/voucher/voucher.html", {"page": page, "cache": OFFLINE_CACHE})


@require_GET
@mother_required
@cache_control(private=True, no_cache=True)
def voucher_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The voucher on one sheet, to print (the QR code at its printed size, no menus)."""
    page = selectors.voucher_page(request.user, pk)
    return render(request, "my/voucher/print.html", {"page": page})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, public (it holds nothing personal): scope ``/my/``."""
    scope = reverse("my:home")
    context = {
        "cache": OFFLINE_CACHE,
        "start": scope,
        "assets_json": json.dumps(_assets()),
        "scope_pattern": re.escape(scope).replace("/", "\\/"),
    }
    response = render(
        request, "my/voucher/sw.js", context, content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"  # a new version is picked up at the next visit
    return response


def _assets() -> list[str]:
    """What a voucher page loads besides itself, kept offline with it."""
    return [
        static("portals/portal.css"),
        static("portals/portal.js"),
        static("my/my.css"),
        static("my/offline.js"),
    ]


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: マイページ saved to her home screen opens on her first page."""
    home = reverse("my:home")
    return JsonResponse(
        {
            "name": _("産後ケア マイページ"),
            "short_name": _("マイページ"),
            "start_url": home,
            "scope": home,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0017c1",
            "lang": request.LANGUAGE_CODE,
            "icons": [
                {"src": static("my/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("my/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("my/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = [
    path("vouchers/<int:pk>/", voucher, name="voucher"),
    path("vouchers/<int:pk>/print/", voucher_print, name="voucher_print"),
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", manifest, name="manifest"),
]
