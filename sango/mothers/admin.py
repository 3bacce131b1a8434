from django.contrib import admin

from sango.accounts.access import mothers_visible_to
from sango.core.admin import ReadOnlyInline, ScopedAdmin
from sango.mothers.models import Infant, Mother


class InfantInline(ReadOnlyInline):
    model = Infant
    fields = ("name", "birth_date", "due_date")


@admin.register(Mother)
class MotherAdmin(ScopedAdmin):
    visible = staticmethod(mothers_visible_to)
    list_display = ("name", "name_kana", "municipality", "created_at")
    search_fields = ("name", "name_kana")
    list_select_related = ("municipality",)
    inlines = [InfantInline]
