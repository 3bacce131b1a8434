"""The API's URLs, mounted at ``/api/``; the OpenAPI schema and its human docs alongside."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from sango.api.views.applications import ApplicationViewSet
from sango.api.views.bookings import BookingViewSet
from sango.api.views.changes import ChangeRequestViewSet
from sango.api.views.claims import ClaimViewSet
from sango.api.views.misc import (
    AuditViewSet,
    ProgrammeViewSet,
    TokenLogoutAllView,
    TokenLogoutView,
    TokenView,
)
from sango.api.views.mothers import MotherViewSet
from sango.api.views.reimbursements import ReimbursementViewSet
from sango.api.views.uses import UseViewSet
from sango.api.views.vouchers import UsageCardViewSet, VoucherViewSet

app_name = "api"

router = SimpleRouter()
router.register("mothers", MotherViewSet, basename="mother")
router.register("applications", ApplicationViewSet, basename="application")
router.register("change-requests", ChangeRequestViewSet, basename="change-request")
router.register("vouchers", VoucherViewSet, basename="voucher")
router.register("usage-cards", UsageCardViewSet, basename="usage-card")
router.register("bookings", BookingViewSet, basename="booking")
router.register("uses", UseViewSet, basename="use")
router.register("reimbursements", ReimbursementViewSet, basename="reimbursement")
router.register("claims", ClaimViewSet, basename="claim")
router.register("audit", AuditViewSet, basename="audit")
router.register("programmes", ProgrammeViewSet, basename="programme")


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def unknown(request: Request, path: str) -> None:
    """Any other ``/api/…/`` path: a 404 in the one error format, not Django's HTML page."""
    with translation.override("ja"):
        raise NotFound()


# The API's two readers style their pages from script (inline styles) and Redoc runs its
# search in a blob: worker; they show the public schema only, and still load script from this
# site alone.
_docs = csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token_logout"),
    path("auth/logout-all/", TokenLogoutAllView.as_view(), name="token_logout_all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script fetched from /api/docs/?script (no inline script).
    path("docs/", _docs(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", _docs(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    *router.urls,
    # Last: only paths ending in "/" so that APPEND_SLASH still redirects "/api/mothers".
    re_path(r"^(?P<path>.*/)$", unknown),
]
