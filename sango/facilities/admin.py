from django.contrib import admin

from sango.core.admin import ReadOnlyInline, ReferenceAdmin
from sango.facilities.models import Contract, Facility


class ContractInline(ReadOnlyInline):
    model = Contract
    fields = (
        "municipality",
        "services",
        "own_patients_only",
        "contact_municipality_first",
        "listed",
    )


@admin.register(Facility)
class FacilityAdmin(ReferenceAdmin):
    list_display = ("name", "kind", "address", "phone", "sample")
    list_filter = ("kind", "contracts__municipality")
    search_fields = ("name", "address")
    inlines = [ContractInline]
