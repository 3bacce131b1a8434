from django.contrib import admin

from sango.accounts.access import reimbursements_visible_to
from sango.core.admin import ScopedAdmin
from sango.reimbursements.models import Reimbursement


@admin.register(Reimbursement)
class ReimbursementAdmin(ScopedAdmin):
    visible = staticmethod(reimbursements_visible_to)
    list_display = ("day", "facility_name", "service", "amount_paid", "amount", "status")
    list_filter = ("status",)
