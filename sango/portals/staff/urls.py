"""The staff office, under ``/staff/``. Each area of work keeps its own URLs in its views
module; this file only puts them together."""

from sango.portals.staff.views import (
    accounts,
    cards,
    cases,
    decisions,
    documents,
    home,
    intake,
    money,
)
from sango.portals.staff.views import payments as payments_views
from sango.portals.staff.views import statistics as statistics_views
from sango.portals.staff.views import whatif as whatif_views

app_name = "staff"

urlpatterns = [
    *statistics_views.urlpatterns,
    *home.urlpatterns,
    *cases.urlpatterns,
    *accounts.urlpatterns,
    *intake.urlpatterns,
    *decisions.urlpatterns,
    *money.urlpatterns,
    *payments_views.urlpatterns,
    *cards.urlpatterns,
    *documents.urlpatterns,
    *whatif_views.urlpatterns,
]
