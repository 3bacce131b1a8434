"""The programme document format, ``sango-program/1`` (see docs/programme-format.md).

These models only describe and validate what a municipality writes; ``compile.py`` turns a valid
document into the effective-dated structures the evaluator reads. Every model forbids unknown
keys so that a misspelt field is an error, not a silently ignored rule.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from sango.rules.windows import Window, parse_window

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", description="snake_case code")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="lower-case slug")]
Yen = Annotated[int, Field(ge=0, description="integer yen")]
WindowField = Annotated[Window, BeforeValidator(parse_window)]

UNITS = ("night", "day", "visit", "session", "hour", "use")
Unit = Literal["night", "day", "visit", "session", "hour", "use"]
CHANNELS = ("in_person", "post", "online", "proxy")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def municipality_code_is_valid(code: str) -> bool:
    """全国地方公共団体コード: five digits and a check digit (JIS X 0401, weights 6-5-4-3-2)."""
    if not re.fullmatch(r"\d{6}", code):
        return False
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10 == int(code[5])


# --- identity ---------------------------------------------------------------------------------


class Municipality(Strict):
    code: str = Field(description="全国地方公共団体コード, 6 digits with check digit")
    name: str
    name_en: str | None = None
    prefecture: str

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not municipality_code_is_valid(value):
            raise ValueError(
                "6桁の全国地方公共団体コード（検査数字つき、例: 332089）を書いてください"
            )
        return value


class Source(Strict):
    title: str
    date: str | None = Field(None, description="as printed, e.g. R8.4 or 2023-04")
    url: str | None = None
    note: str | None = None


class Office(Strict):
    code: Code
    name: str
    postal_code: str | None = Field(None, pattern=r"^\d{3}-\d{4}$")
    address: str
    phone: str = Field(pattern=r"^[0-9()\- ]+$")
    ref: str | None = None


# --- eligibility ------------------------------------------------------------------------------


class Condition(Strict):
    code: Code
    label: str
    label_en: str | None = None


class Residence(Strict):
    resident: bool = True
    temporary_return: bool = Field(False, description="里帰り accepted")
    temporary_return_tier: Literal["home_municipality", "here"] = "home_municipality"


class Needs(Strict):
    mode: Literal["any_of", "anyone"] = Field(
        description="any_of: one listed state must hold; anyone: whoever wishes"
    )
    conditions: list[Condition] = []

    @model_validator(mode="after")
    def _conditions_for_any_of(self) -> Needs:
        if self.mode == "any_of" and not self.conditions:
            raise ValueError("mode が any_of のときは conditions を1つ以上書いてください")
        return self


class Eligibility(Strict):
    ref: str
    residence: Residence = Residence()
    postpartum_window: WindowField
    window_from: Literal["birth", "corrected"] = Field(
        "birth", description="corrected: counted from the due date when the baby came early"
    )
    pregnancy_loss: bool = Field(False, description="mothers after stillbirth or miscarriage")
    no_tax_arrears: bool = False
    exclusions: list[Condition] = []
    needs: Needs
    mother_alone: bool = True
    infant_alone: bool = False


# --- services and caps ------------------------------------------------------------------------


class Duration(Strict):
    over_hours: float | None = Field(None, ge=0, description="strictly more than")
    up_to_hours: float | None = Field(None, gt=0, description="up to and including")


class Subtype(Strict):
    code: Code
    name: str
    name_en: str | None = None
    duration: Duration
    description: str | None = None


class Schedule(Strict):
    check_in: time
    check_out: time
    nights: int = Field(1, ge=1, description="nights of the standard stay, e.g. 1泊2日 = 1")


class Service(Strict):
    code: Code
    name: str
    name_en: str | None = None
    unit: Unit
    window: WindowField | None = None
    subtypes: list[Subtype] = []
    schedule: Schedule | None = None
    split: bool = Field(True, description="a cap may be used in several separate uses (分割)")
    hour_rounding: Literal["up", "down"] = Field(
        "up", description="how a duration becomes whole hours when the unit is hour"
    )
    ref: str | None = None


class Cap(Strict):
    code: Code
    name: str
    unit: Unit
    limit: int = Field(ge=0)
    services: list[Code] = Field(min_length=1, description="service or sub-type codes counted")
    weights: dict[Code, int] = Field({}, description="units counted per unit of a service")
    per_additional_infant: int = Field(0, ge=0, description="limit added per extra infant born")
    extension: int | None = Field(None, ge=0, description="largest limit granted on approval")
    period: Literal["entitlement", "fiscal_year"] = "entitlement"
    beyond: Literal["refuse", "full_fee"] = "refuse"
    ref: str | None = None


# --- money ------------------------------------------------------------------------------------


class Step(Strict):
    """An amount that depends on which use this is: ``from``-th to ``to``-th (inclusive)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    first: int = Field(alias="from", ge=1)
    last: int | None = Field(None, alias="to", ge=1)
    amount: Yen


Amount = Yen | list[Step]
# tier code (or "*") -> an amount for every service, or service code (or "*") -> amount
Table = dict[str, Amount | dict[str, Amount]]


class Tier(Strict):
    code: Code
    name: str
    name_en: str | None = None


class Funding(Strict):
    """One payer's layer. Layers apply in order, each on what the mother still owes."""

    source: Code = Field(description="who pays: municipality, national, prefecture ...")
    name: str
    rule: Literal["share", "copay", "copay_percent"]
    per: Literal["unit", "use"] = "unit"
    amounts: Table | None = None
    percent: dict[str, int | dict[str, int]] | None = None
    rounding: Literal["floor", "ceil", "half_up"] = "floor"
    copay_floor: Table | None = None
    copay_ceiling: Table | None = None
    per_additional_infant: Table | Literal["fee"] | None = None
    tiers: list[Code] | None = None
    services: list[Code] | None = None
    nth_from: int = Field(1, ge=1)
    nth_to: int | None = Field(None, ge=1)
    nth_scope: Literal["service", "programme"] = Field(
        "service", description="count uses of this service, or of every service together"
    )
    valid_from: date | None = None
    valid_until: date | None = None
    ref: str | None = None

    @model_validator(mode="after")
    def _rule_has_its_table(self) -> Funding:
        if self.rule in ("share", "copay") and self.amounts is None:
            raise ValueError(f"rule: {self.rule} には amounts が必要です")
        if self.rule == "copay_percent" and self.percent is None:
            raise ValueError("rule: copay_percent には percent が必要です")
        if self.rule == "copay" and self.per_additional_infant is not None:
            # A fixed copay already leaves the rest, extra infants included, to this layer.
            raise ValueError(
                "rule: copay の層に per_additional_infant は書けません（効果がありません）"
            )
        return self


class Money(Strict):
    tiers: list[Tier] = Field(min_length=1)
    fee_basis: Literal["facility", "programme"] = "facility"
    base_fees: dict[Code, Yen] = {}
    base_additional_infant_fees: dict[Code, Yen] = {}
    funding: list[Funding] = Field(min_length=1)
    extras_note: str | None = Field(None, description="meals, nappies ... outside the subsidy")
    ref: str | None = None


# --- process ----------------------------------------------------------------------------------


class Document(Strict):
    name: str
    when: str | None = Field(None, description="condition in words, e.g. 転入した非課税世帯のみ")
    by_post: bool = True


class Interview(Strict):
    required: bool = True
    methods: list[Literal["in_person", "phone", "visit"]] = ["in_person", "phone"]
    by: str | None = None


class Reimbursement(Strict):
    available: bool = False
    scope: str | None = None
    ref: str | None = None


class Letters(Strict):
    """How the municipality signs and numbers its decision letters (決定通知書)."""

    issuer: str = Field(description="the title that issues the letters, e.g. 総社市長")
    number_prefix: str | None = Field(
        None, description="文書番号 prefix: 総こ → 総こ第12号; none → 2026年度 第12号"
    )
    appeal_to: str | None = Field(
        None, description="who hears a 審査請求 against a decision (教示); none → the issuer"
    )


class Process(Strict):
    mode: Literal["pre_application", "usage_card"]
    usage_card_issued_with: str | None = None
    offices: list[Code] = []
    channels: list[Literal["in_person", "post", "online", "proxy"]] = ["in_person"]
    proxy_documents: list[str] = []
    required_documents: list[Document] = []
    bring_to_facility: list[str] = []
    interview: Interview | None = None
    decision_target_days: int | None = Field(None, ge=1)
    decision_days: Literal["business", "calendar"] = "calendar"
    provisional_booking: bool = False
    change_form: str | None = None
    cancellation_note: str | None = None
    reimbursement: Reimbursement = Reimbursement()
    notices: list[str] = []
    letters: Letters | None = None
    ref: str | None = None


# --- versions and facilities ------------------------------------------------------------------


class Version(Strict):
    effective_from: date
    ref: str
    assumptions: list[str] = []
    eligibility: Eligibility | None = None
    services: list[Service] | None = None
    caps: list[Cap] | None = None
    money: Money | None = None
    process: Process | None = None


class ContractService(Strict):
    window: WindowField | None = None
    fee: Yen | None = None
    additional_infant_fee: Yen | None = None


class Facility(Strict):
    id: Slug
    name: str
    aliases: list[str] = Field([], description="other spellings seen in sources, for look-up")
    kind: Literal["hospital", "clinic", "midwife_home", "other"]
    address: str
    phone: str | None = Field(None, pattern=r"^[0-9()\- ]+$")
    services: dict[Code, ContractService | None] = Field(min_length=1)
    own_patients_only: bool = False
    contact_municipality_first: bool = False
    effective_from: date | None = None
    effective_until: date | None = None
    sample: bool = Field(False, description="invented demo data, not from any source")
    remarks: list[str] = []
    ref: str | None = None


class ProgramDocument(Strict):
    format: Literal["sango-program/1"]
    municipality: Municipality
    sources: dict[Slug, Source] = Field(min_length=1)
    offices: list[Office] = []
    versions: list[Version] = Field(min_length=1)
    facilities: list[Facility] = []
