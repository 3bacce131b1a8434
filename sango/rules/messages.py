"""What the rules core says to people: reasons, notices and explanation lines, in Japanese first.

Each message is a template with named fields; ``render`` fills it in the requested language.
Codes are stable (other systems match on them); wording may improve.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MESSAGES: dict[str, tuple[str, str]] = {
    # reasons: why a use is not eligible
    "no_rules": (
        "{day}に有効な{name}の制度がありません。",
        "No {name} programme is in force on {day}.",
    ),
    "not_resident": (
        "{name}にお住まいの方（里帰りの方を含む場合はその方）が対象です。",
        "Only residents of {name} (and temporary returns where accepted) may use it.",
    ),
    "temporary_return_not_accepted": (
        "里帰りの方はこの制度の対象外です。",
        "Temporary returns are not accepted by this programme.",
    ),
    "tax_arrears": (
        "世帯に市税の滞納がある場合は利用できません。",
        "Not available while the household has municipal tax arrears.",
    ),
    "infant_alone": (
        "お母さんだけの利用はできますが、赤ちゃんだけのお預かりはできません。",
        "The mother may come alone, but an infant cannot be cared for alone.",
    ),
    "mother_alone_not_accepted": (
        "お母さんだけの利用はできません。",
        "The mother cannot use the service without her infant.",
    ),
    "excluded": ("{label}の場合は利用できません。", "Not available in case of: {label}."),
    "no_need": (
        "利用できるのは次のいずれかに当てはまる方です: {labels}",
        "The mother must meet one of: {labels}",
    ),
    "pregnancy_loss_not_covered": (
        "死産・流産後の方はこの制度の対象外です。",
        "Mothers after stillbirth or miscarriage are not covered by this programme.",
    ),
    "outside_window": (
        "利用できるのは{window}（{last}まで）です。",
        "Available {window_en} (until {last}).",
    ),
    "outside_service_window": (
        "{service}を利用できるのは{window}（{last}まで）です。",
        "{service} is available {window_en} (until {last}).",
    ),
    "facility_not_contracted": (
        "{facility}は{name}の委託施設ではありません。",
        "{facility} is not contracted by {name}.",
    ),
    "contract_not_in_force": (
        "{facility}との委託は{day}には有効ではありません。",
        "The contract with {facility} is not in force on {day}.",
    ),
    "service_not_offered": (
        "{facility}では{service}を実施していません。",
        "{facility} does not provide {service}.",
    ),
    "outside_facility_window": (
        "{facility}の{service}は{window}（{last}まで）の方が対象です。",
        "{service} at {facility} is for mothers {window_en} (until {last}).",
    ),
    "own_patients_only": (
        "{facility}は受診者のみ利用できます。",
        "{facility} accepts only its own patients.",
    ),
    "duration_outside_subtype": (
        "{service}は{limits}のケアです（今回は{hours}時間）。",
        "{service} is for care of {limits} (this use: {hours} h).",
    ),
    "cap_reached": (
        "{cap}の残りは{remaining}{unit}です（今回{counted}{unit}）。",
        "{cap}: {remaining} {unit_en} left, this use needs {counted}.",
    ),
    "not_granted": (
        "{cap}は承認されていません（利用変更の申請が必要です）。",
        "{cap} was not granted (a change request is needed).",
    ),
    "grant_above_cap": (
        "{cap}の承認量{granted}{unit}は上限{limit}{unit}を超えています。",
        "{cap}: the grant of {granted} exceeds the limit of {limit}.",
    ),
    "split_not_allowed": (
        "{service}は分割して利用できません。",
        "{service} cannot be split into several uses.",
    ),
    # a past use that a draft programme cannot judge at all (試算: e.g. a service it dropped)
    "request_unreadable": (
        "この制度では判定できません: {message}",
        "This programme cannot judge the use: {message}",
    ),
    # notices: eligible, but the user should know
    "temporary_return_tier": (
        "里帰りの方は、お住まいの市町村の世帯の税情報を確認します。",
        "For temporary returns the household tier is checked where the household lives.",
    ),
    "contact_municipality_first": (
        "{facility}の利用を希望する場合は、事前に{office}へ連絡してください。",
        "Contact {office} before booking {facility}.",
    ),
    "own_patient_unknown": (
        "{facility}は受診者のみ利用できます。受診の有無を確認してください。",
        "{facility} accepts only its own patients: confirm the mother was treated there.",
    ),
    "need_assessed": (
        "支援が必要かどうかは、申請時の聞き取りで確認します。",
        "Whether support is needed is assessed at the intake interview.",
    ),
    "beyond_cap_full_fee": (
        "{cap}を超える{over}{unit}分は、料金の全額が自己負担です。",
        "{over} {unit_en} beyond {cap}: the mother pays the full fee.",
    ),
    "outside_schedule": (
        "標準の利用時間は{check_in}入所〜{check_out}退所です。時間は施設と相談してください。",
        "Standard hours are {check_in} in to {check_out} out; agree times with the facility.",
    ),
    "extras_not_subsidised": ("{note}", "{note}"),
    "assumption": (
        "この版には確認中の想定があります: {text}",
        "This version rests on an assumption: {text}",
    ),
    "programme_fee_used": (
        "この制度では市が定めた基準額で計算します（指定された料金は使いません）。",
        "This programme computes with the fee set by the municipality, not the one given.",
    ),
    "sample_fee": (
        "{facility}の料金はデモ用のサンプル値です。",
        "The fee of {facility} is sample data for the demo.",
    ),
}

UNIT_NAMES: dict[str, tuple[str, str]] = {
    "night": ("泊", "nights"),
    "day": ("日", "days"),
    "visit": ("回", "visits"),
    "session": ("回", "sessions"),
    "hour": ("時間", "hours"),
    "use": ("回", "uses"),
}


@dataclass(frozen=True, slots=True)
class Message:
    """A reason or notice: a stable code and the values its sentence needs."""

    code: str
    values: tuple[tuple[str, str], ...] = ()

    def render(self, lang: str = "ja") -> str:
        return _render(self, lang)

    def as_dict(self, lang: str = "ja") -> dict[str, str]:
        return {"code": self.code, "message": _render(self, lang)}


@lru_cache(maxsize=4096)
def _render(message: Message, lang: str) -> str:
    # Batches repeat the same few messages; rendering each once keeps output cheap.
    ja, en = MESSAGES[message.code]
    return (en if lang == "en" else ja).format(**dict(message.values))


def message(code: str, **values: object) -> Message:
    return Message(code, tuple((k, str(v)) for k, v in values.items()))
