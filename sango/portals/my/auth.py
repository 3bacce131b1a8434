"""Who may enter マイページ: mothers' accounts (and whoever applies for a mother with her
account), nobody else. Anonymous visitors are sent to the /my/ login; staff and facility
accounts get 403. What a mother sees inside is narrowed to her own cases by
``sango.accounts.access``. The public pages of /my/ (施設をさがす, sign-up) need no door."""

from __future__ import annotations

from sango.portals.common.auth import door


def is_mother_account(user) -> bool:
    return user.is_authenticated and user.role == user.Role.MOTHER


mother_required = door(is_mother_account, "my:login", "このページは産婦の方のマイページです。")
