"""Top-level URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

if settings.SANGO_TWO_FACTOR_REQUIRED:
    # The admin's login then asks for the second factor too, and its pages admit only a
    # verified session (README, "Security": an administrator's first code).
    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("sango.core.urls")),
    path("programmes/", include("sango.programs.urls")),
    # Django's set_language view, used by the language switcher: POST /i18n/setlang/.
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("sango.portals.staff.urls")),
    path("facility/", include("sango.portals.facility.urls")),
    path("my/", include("sango.portals.my.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("sango.api.urls")),
]
