"""マイページ, under ``/my/``. Each area keeps its URLs in its views module."""

from sango.portals.my.views import (
    account,
    apply,
    bookings,
    card,
    changes,
    details,
    find,
    home,
    messages,
    reimburse,
    voucher,
)

app_name = "my"

urlpatterns = [
    *account.urlpatterns,
    *messages.urlpatterns,
    *home.urlpatterns,
    *find.urlpatterns,
    *voucher.urlpatterns,
    *bookings.urlpatterns,
    *changes.urlpatterns,
    *card.urlpatterns,
    *reimburse.urlpatterns,
    *details.urlpatterns,
    *apply.urlpatterns,
]
