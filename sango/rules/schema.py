"""The programme document format, ``sango-program/1`` (see docs/programme-format.md).

These models only describe and validate what a municipality writes; ``compile.py`` turns a valid
document into the effective-dated structures the evaluator reads. Every model forbids unknown
keys so that a misspelt field is an error, not a silently ignored rule.
"""

from __future__ import annotations

import re
from datetime import date, time
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    field_validator,
    model_validator,
)

from sango.rules.windows import Window, parse_window

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", description="snake_case code")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="lower-case slug")]
# Integers are strict: "15000" or 15000.0 is refused, never read as 15000 (docs: *Values*).
Yen = Annotated[StrictInt, Field(ge=0, description="integer yen")]
WindowField = Annotated[Window, BeforeValidator(parse_window)]

UNITS = ("night", "day", "visit", "session", "hour", "use")
Unit = Literal["night", "day", "visit", "session", "hour", "use"]
CHANNELS = ("in_person", "post", "online", "proxy")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def municipality_code_is_valid(code: str) -> bool:
    """全国地方公共団体コード: five digits and a check digit (JIS X 0401, weights 6-5-4-3-2)."""
    return bool(re.fullmatch(r"\d{6}", code)) and check_digit(code[:5]) == int(code[5])


def check_digit(five: str) -> int:
    """The check digit of a five-digit 団体コード: 11 − (Σ digit × 6,5,4,3,2 mod 11), mod 10."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


# --- identity ---------------------------------------------------------------------------------


class Municipality(Strict):
    code: str = Field(description="全国地方公共団体コード, 6 digits with check digit")
    name: str
    name_en: str | None = None
    prefecture: str

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not re.fullmatch(r"\d{6}", value):
            raise ValueError(
                "6桁の全国地方公共団体コード（検査数字つき、例: 332089）を"
                "引用符つきで書いてください"
            )
        right = check_digit(value[:5])
        if int(value[5]) != right:
            raise ValueError(
                f"検査数字（6桁目）が違います: {value[:5]} の検査数字は {right} です"
                f"（{value[:5]}{right}）"
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
    nights: StrictInt = Field(1, ge=1, description="nights of the standard stay, e.g. 1泊2日 = 1")


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
    limit: StrictInt = Field(ge=0)
    services: list[Code] = Field(min_length=1, description="service or sub-type codes counted")
    weights: dict[Code, StrictInt] = Field({}, description="units counted per unit of a service")
    per_additional_infant: StrictInt = Field(
        0, ge=0, description="limit added per extra infant born"
    )
    extension: StrictInt | None = Field(None, ge=0, description="largest limit granted on approval")
    period: Literal["entitlement", "fiscal_year"] = "entitlement"
    beyond: Literal["refuse", "full_fee"] = "refuse"
    ref: str | None = None


# --- money ------------------------------------------------------------------------------------


class Step(Strict):
    """An amount that depends on which use this is: ``from``-th to ``to``-th (inclusive)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    first: StrictInt = Field(alias="from", ge=1)
    last: StrictInt | None = Field(None, alias="to", ge=1)
    amount: Yen


Amount = Yen | list[Step]
Percent = Annotated[StrictInt, Field(ge=0, le=100)]
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
    percent: dict[str, Percent | dict[str, Percent]] | None = None
    rounding: Literal["floor", "ceil", "half_up"] = "floor"
    copay_floor: Table | None = None
    copay_ceiling: Table | None = None
    per_additional_infant: Table | Literal["fee"] | None = Field(
        None,
        description="per additional infant per unit: what a share/copay_percent payer adds, "
        "or (rule copay) what the mother's copay rises by",
    )
    tiers: list[Code] | None = None
    services: list[Code] | None = None
    nth_from: StrictInt = Field(1, ge=1)
    nth_to: StrictInt | None = Field(None, ge=1)
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
    decision_target_days: StrictInt | None = Field(None, ge=1)
    decision_days: Literal["business", "calendar"] = "calendar"
    provisional_booking: bool = False
    change_form: str | None = None
    cancellation_note: str | None = None
    reimbursement: Reimbursement = Reimbursement()
    notices: list[str] = []
    letters: Letters | None = None
    ref: str | None = None


# --- financing (負担割合) ---------------------------------------------------------------------

Payer = Literal["national", "prefecture", "municipality"]


class Financing(Strict):
    """Who finances a fiscal year's eligible expenditure, and in what shares (負担割合).
    From FY2025 産後ケア事業 is a 地域子ども・子育て支援事業: 国1/2・都道府県1/4・市町村1/4.
    Policy, not code: each entry holds from its fiscal year (``from`` is an April 1st) until
    the next entry's."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    effective_from: date = Field(alias="from", description="1 April of the first fiscal year")
    shares: dict[Payer, Annotated[str, Field(pattern=r"^[0-9]+(/[1-9][0-9]*)?$")]] = Field(
        min_length=1, description='fractions such as "1/2"; they sum to 1'
    )
    eligible: list[Code] = Field(
        ["municipality"],
        min_length=1,
        description="funding-layer sources whose subsidy is the eligible expenditure",
    )
    ref: str | None = None
    assumptions: list[str] = []

    @model_validator(mode="after")
    def _check(self) -> Financing:
        if (self.effective_from.month, self.effective_from.day) != (4, 1):
            raise ValueError("financing の from は年度の初日（4月1日）にしてください")
        if sum(Fraction(share) for share in self.shares.values()) != 1:
            raise ValueError("financing の shares は合計で 1 になるようにしてください")
        return self

    def share(self, payer: str) -> Fraction:
        return Fraction(self.shares[payer])


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
    financing: list[Financing] = []

    @field_validator("financing")
    @classmethod
    def _financing_in_order(cls, value: list[Financing]) -> list[Financing]:
        days = [entry.effective_from for entry in value]
        if days != sorted(set(days)):
            raise ValueError("financing は from の古い順に、同じ年度を重ねずに書いてください")
        return value

    def financing_for(self, fiscal_year: int) -> Financing | None:
        """The shares in force for the fiscal year starting 1 April ``fiscal_year``."""
        start = date(fiscal_year, 4, 1)
        return next((e for e in reversed(self.financing) if e.effective_from <= start), None)
