"""The facility portal, under ``/facility/``. Each area keeps its URLs in its views module."""

from sango.portals.facility.views import account, bookings, claims, home, vouchers

app_name = "facility"

urlpatterns = [
    *home.urlpatterns,
    *vouchers.urlpatterns,
    *bookings.urlpatterns,
    *claims.urlpatterns,
    *account.urlpatterns,
]
