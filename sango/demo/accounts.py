"""The demo's logins: one per role and place, all with the password ``sango-demo``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sango.accounts.models import User
from sango.facilities.models import Facility
from sango.municipalities.models import Municipality, Office

DEMO_PASSWORD = "sango-demo"
ADMIN_USERNAME = "admin"
SITE = "http://127.0.0.1:8000"

Role = User.Role


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    can: str  # what to try with it, for the login table and the README
    municipality: str = ""  # 全国地方公共団体コード
    office: str = ""  # office code in the programme document
    facility: str = ""  # facility id in the programme document

    @property
    def where(self) -> str:
        """The door this login uses."""
        return {
            Role.CLERK: "/staff/",
            Role.APPROVER: "/staff/",
            Role.FACILITY: "/facility/",
            Role.MOTHER: "/my/",
        }.get(self.role, "/admin/")


ACCOUNTS = [
    Account(ADMIN_USERNAME, Role.ADMIN, "system administrator (superuser): everything"),
    Account(
        "soja-clerk",
        Role.CLERK,
        "総社市 こども課: applications, interviews, tier checks, bookings, reviewing claims",
        "332089",
        "kodomo",
    ),
    Account(
        "soja-approver",
        Role.APPROVER,
        "総社市 decisions: approve/reject applications, change requests, reimbursements, claims",
        "332089",
        "kodomo",
    ),
    Account(
        "kumamoto-clerk",
        Role.CLERK,
        "熊本市 中央区役所: usage cards, uses, reviewing claims",
        "431001",
        "chuo",
    ),
    Account("kumamoto-approver", Role.APPROVER, "熊本市 decisions: claims", "431001", "chuo"),
    Account(
        "kaneko",
        Role.FACILITY,
        "かねこ助産院: vouchers shown, uses, last month's claim (approved, one line returned)",
        facility="kaneko-josanin",
    ),
    Account(
        "kunitomi",
        Role.FACILITY,
        "くにとみクリニック: uses (one voided), a submitted claim",
        facility="kunitomi-clinic",
    ),
    Account(
        "kawasaki",
        Role.FACILITY,
        "川崎医科大学附属病院: twins' uses, a draft claim to submit",
        facility="kawasaki-medical-school-hospital",
    ),
    Account(
        "kumamoto-clinic",
        Role.FACILITY,
        "（サンプル）中央レディースクリニック: usage-card uses, a draft claim",
        facility="sample-kumamoto-chuo-clinic",
    ),
    Account(
        "yurikago-clerk",
        Role.CLERK,
        "ゆりかご市 (sample, online applications): the online applications coming in",
        "229016",
        "chuo",
    ),
    Account("yurikago-approver", Role.APPROVER, "ゆりかご市 decisions", "229016", "chuo"),
    Account(
        "yurikago-clinic",
        Role.FACILITY,
        "（架空）ゆりかごレディースクリニック: さくら's stay request to confirm or decline",
        facility="yurikago-sample-clinic",
    ),
    Account(
        "hanako",
        Role.MOTHER,
        "mother in 総社市: her voucher on the phone (offline too), bookings, uses, letters",
        "332089",
    ),
    Account("misaki", Role.MOTHER, "mother in 熊本市: her usage card and what remains", "431001"),
    Account(
        "sakura",
        Role.MOTHER,
        "mother in ゆりかご市 (sample): applied online, approved; a stay request waiting",
        "229016",
    ),
    Account(
        "yuki",
        Role.MOTHER,
        "mother in ゆりかご市 (sample): an online application half done, to resume",
        "229016",
    ),
]

DEMO_USERNAMES = [a.username for a in ACCOUNTS if a.username != ADMIN_USERNAME]


def accounts_create() -> dict[str, User]:
    """Every demo login except the admin (the command looks after that one)."""
    users = {}
    for account in ACCOUNTS:
        if account.username == ADMIN_USERNAME:
            continue
        municipality = (
            Municipality.objects.get(code=account.municipality) if account.municipality else None
        )
        users[account.username] = User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            # Staff and facilities may also use the admin site; mothers have マイページ.
            is_staff=account.role != Role.MOTHER,
            email=f"{account.username}@example.jp" if account.role == Role.MOTHER else "",
            municipality=municipality if account.role != Role.MOTHER else None,
            office=(
                Office.objects.get(municipality=municipality, code=account.office)
                if account.office
                else None
            ),
            facility=Facility.objects.get(slug=account.facility) if account.facility else None,
        )
    return users


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table() -> str:
    """The logins as a plain-text table (Japanese counted as two columns)."""
    rows = [("role", "username", "where", "what to try")]
    rows += [(a.role, a.username, a.where, a.can) for a in ACCOUNTS]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3]
        )
        if index == 0:
            lines.append("  ".join("-" * w for w in [*widths, _width(row[3])]))
    return "\n".join(lines)
