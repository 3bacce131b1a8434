"""マイページ, under ``/my/``. Each area keeps its URLs in its views module."""

from sango.portals.my.views import home

app_name = "my"

urlpatterns = [
    *home.urlpatterns,
]
