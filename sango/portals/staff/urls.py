"""The staff office, under ``/staff/``. Each area of work keeps its own URLs in its views
module; this file only puts them together."""

from sango.portals.staff.views import cards, cases, decisions, documents, home, intake, money

app_name = "staff"

urlpatterns = [
    *home.urlpatterns,
    *cases.urlpatterns,
    *intake.urlpatterns,
    *decisions.urlpatterns,
    *money.urlpatterns,
    *cards.urlpatterns,
    *documents.urlpatterns,
]
