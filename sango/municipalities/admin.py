from django.contrib import admin

from sango.core.admin import ReadOnlyInline, ReferenceAdmin
from sango.municipalities.models import Municipality, Office, ProgramRevision


class OfficeInline(ReadOnlyInline):
    model = Office
    fields = ("code", "name", "address", "phone", "active")


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceAdmin):
    list_display = ("code", "name", "prefecture")
    inlines = [OfficeInline]


@admin.register(ProgramRevision)
class ProgramRevisionAdmin(ReferenceAdmin):
    list_display = ("municipality", "loaded_at", "sha256", "path")
    list_filter = ("municipality",)
