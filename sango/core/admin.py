"""A read-only back office in Django's admin until the staff portal exists.

Every list starts from the access rules (``sango.accounts.access``), so a clerk sees only her
municipality and facility staff only their facility. Nothing can be added, changed or deleted
here: state changes go through the services (and the API), which check and audit them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

BACK_OFFICE_ROLES = ("clerk", "approver", "facility", "admin")


def _may_view(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active and user.is_staff and (user.is_superuser or user.role in BACK_OFFICE_ROLES)
    )


class ReadOnlyMixin:
    """No add, change or delete; viewing by role rather than by Django model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_view(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """``visible(user)`` gives the queryset the user may see (an access-rules function)."""

    visible: Callable[[Any], QuerySet]  # set as staticmethod(<access function>)
    list_select_related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.visible(request.user).select_related(*self.list_select_related)


class ReferenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Public reference data (municipalities, offices, facilities): every back-office user."""


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False


admin.site.site_header = _("Sango 産後ケア 管理画面（閲覧のみ）")
admin.site.site_title = _("Sango 管理画面")
admin.site.index_title = _("記録の閲覧")
