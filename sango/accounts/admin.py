from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sango.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts are managed by system administrators (Django's own permissions apply)."""

    list_display = ("username", "role", "municipality", "office", "facility", "is_active")
    list_filter = ("role", "municipality", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("役割と所属"), {"fields": ("role", "municipality", "office", "facility")}),
    )
