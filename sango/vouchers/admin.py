from django.contrib import admin

from sango.accounts.access import vouchers_visible_to
from sango.core.admin import ScopedAdmin
from sango.vouchers.models import Voucher


@admin.register(Voucher)
class VoucherAdmin(ScopedAdmin):
    visible = staticmethod(vouchers_visible_to)
    list_display = ("number", "kind", "status", "mother", "valid_from", "valid_until")
    list_filter = ("kind", "status")
    search_fields = ("number",)
    list_select_related = ("mother",)
