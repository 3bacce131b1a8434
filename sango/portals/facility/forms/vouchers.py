"""What reception types or photographs: a voucher's number and the mother's birth date, a photo
of the voucher's QR code, a use (利用の記録), a correction or a void. Forms read and check what
was typed; the services decide."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.core.errors import ServiceError
from sango.portals.common.fields import DateField, TextInput, WholeNumberField
from sango.portals.common.once import OnceForm
from sango.vouchers.checks import OfferedService
from sango.vouchers.services import number_is_well_formed

EARLIEST_BIRTH = date(1900, 1, 1)
PHOTO_MAX_BYTES = 8 * 1024 * 1024  # a phone camera's photo is 2–5 MB
PHOTO_MAX_PIXELS = 50_000_000  # a 50-megapixel photo; anything larger is not a photo
MAX_QUANTITY = 31
MAX_FEE = 200_000  # yen per unit: above any night of postpartum care in any programme we hold
MAX_EXTRAS = 200_000


# --- 利用券の確認 --------------------------------------------------------------------------------


class NumberCheckForm(forms.Form):
    """番号と生年月日で確認. The check digit is checked here, before any look-up."""

    number = forms.CharField(
        label=_("利用券番号"),
        max_length=40,
        widget=TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("例: 332089-1234-5678-9012（ハイフンや空白はなくても構いません）"),
    )
    mother_birth_date = DateField(
        label=_("お母さんの生年月日"),
        earliest=EARLIEST_BIRTH,
        help_text=_("和暦でも入力できます。例: 平成6年5月20日、H6.5.20、1994-05-20"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        born = self.fields["mother_birth_date"]
        born.latest = timezone.localdate()
        born.widget.attrs["placeholder"] = "例: H6.5.20"

    def clean_number(self) -> str:
        number = unicodedata.normalize("NFKC", self.cleaned_data["number"]).strip()
        if not number_is_well_formed(number):
            raise forms.ValidationError(
                _("番号の桁数か確認用の数字が違います。もう一度お確かめください。"),
                code="bad_number",
            )
        return number

    def credentials(self) -> dict[str, Any]:
        """The keywords of ``voucher_check_at_facility``."""
        return {
            "number": self.cleaned_data["number"],
            "mother_birth_date": self.cleaned_data["mother_birth_date"],
        }

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def qr_texts(upload: Any) -> list[str]:
    """The text of every QR code in an uploaded photo (zxing-cpp, the decoder the letters'
    tests read the printed QR codes with). Raises ``ValueError`` for a file that is not an
    image or is implausibly large."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(upload)
        width, height = image.size
        if width * height > PHOTO_MAX_PIXELS:
            raise ValueError("too many pixels")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValueError("not an image") from error
    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.text]


class QrPhotoForm(forms.Form):
    """QRコードの写真で確認: on a tablet the file input opens the camera; on a PC it picks a
    file. The photo is read on the server and not kept."""

    photo = forms.FileField(
        label=_("利用券のQRコードの写真"),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_(
            "タブレットではカメラが開きます。QRコード全体が明るく、大きく写るように撮ってください。"
        ),
        error_messages={"required": _("写真を選んでください。")},
    )

    def clean_photo(self) -> str:
        upload = self.cleaned_data["photo"]
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("写真が大きすぎます（8MBまで）。画質を下げて撮り直してください。"), code="size"
            )
        try:
            texts = qr_texts(upload)
        except ValueError:
            raise forms.ValidationError(
                _("画像として読めません。QRコードを写した写真（JPEG・PNGなど）を選んでください。"),
                code="not_image",
            ) from None
        if not texts:
            raise forms.ValidationError(
                _(
                    "写真からQRコードを読み取れませんでした。QRコード全体が明るく写るように"
                    "撮り直すか、番号と生年月日で確認してください。"
                ),
                code="no_qr",
            )
        return texts[0]

    def credentials(self) -> dict[str, Any]:
        return {"qr": self.cleaned_data["photo"]}

    def add_service_error(self, error: ServiceError) -> None:
        if error.code == "not_found":
            self.add_error(
                "photo",
                _(
                    "このQRコードでは利用券を確認できません。利用券に印刷されたQRコードを写してください。"
                ),
            )
        else:
            self.add_error(None, error.message)


# --- 利用の記録 ----------------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?::|時)(\d{1,2})?分?$|^(\d{2})(\d{2})$")


class TimeField(forms.CharField):
    """A time of day: 10:00, １０：３０, 10時, 10時30分, 1030."""

    widget = TextInput
    default_error_messages = {"invalid": _("時刻として読めません。例: 10:00、13:30")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.validators = []
        self.widget.attrs.setdefault("placeholder", "例: 10:00")
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value: Any) -> time | None:
        if isinstance(value, time):
            return value
        text = unicodedata.normalize("NFKC", super().to_python(value) or "").replace(" ", "")
        if not text:
            return None
        match = _TIME.match(text)
        if match is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = (match[1], match[2]) if match[1] else (match[3], match[4])
        hour, minute = int(hour), int(minute or 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return time(hour, minute)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, time) else value


# A service's error names the field of the service's keywords; the form's own names differ.
_SERVICE_FIELDS = {
    "day": "start_day",
    "start": "start_time",
    "end": "end_time",
    "quantity": "quantity",
    "infants": "infants",
    "fee": "fee",
    "extras": "extras",
    "service": "service",
    "own_patient": "own_patient",
    "reason": "reason",
}


def infant_choices(registered: int) -> list[tuple[int, str]]:
    """0 (the mother alone) up to the infants she has registered, never more."""
    choices = [(0, _("0人（お母さんだけ）"))]
    return choices + [(n, _("%(n)s人") % {"n": n}) for n in range(1, registered + 1)]


class UseForm(OnceForm):
    """利用の記録: the service, when (times, or a day and a quantity), who came, and the money.
    ``services`` are those the facility's contract offers; ``infants`` those she registered."""

    service = forms.ChoiceField(label=_("サービス"), widget=forms.RadioSelect)
    start_day = DateField(label=_("利用日（開始日）"), help_text=_("和暦でも入力できます"))
    start_time = TimeField(label=_("開始時刻"), required=False, help_text=_("例: 10:00、13時30分"))
    end_day = DateField(label=_("終了日"), required=False, help_text=_("空欄なら開始日と同じ日"))
    end_time = TimeField(label=_("終了時刻"), required=False, help_text=_("泊まりは退所の時刻"))
    quantity = WholeNumberField(
        label=_("数量"),
        minimum=1,
        maximum=MAX_QUANTITY,
        required=False,
        help_text=_("時刻を入力しないときの泊数・日数・回数（空欄なら1）。"),
    )
    infants = forms.TypedChoiceField(
        label=_("乳児の人数"), coerce=int, help_text=_("一緒に利用した赤ちゃんの人数")
    )
    fee = WholeNumberField(label=_("料金（1単位あたり・円）"), minimum=1, maximum=MAX_FEE)
    extras = WholeNumberField(
        label=_("助成の対象外の費用（食事代・おむつ代など・円）"),
        maximum=MAX_EXTRAS,
        required=False,
        help_text=_("自己負担額とは別にお母さんからいただく額。なければ空欄"),
    )

    def __init__(
        self,
        *args: Any,
        services: tuple[OfferedService, ...],
        infants: int,
        own_patients_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = {s.code: s for s in services}
        self.fields["service"].choices = [(s.code, s.name) for s in services]
        if len(services) == 1:
            self.fields["service"].initial = services[0].code
            if len(services[0].fees) == 1:  # one service at one fee: nothing left to choose
                self.fields["fee"].initial = services[0].fees[0][1]
        infants_field = self.fields["infants"]
        infants_field.choices = infant_choices(infants)
        infants_field.initial = min(infants, 1)
        infants_field.error_messages["invalid_choice"] = _(
            "登録されている乳児は%(n)s人です。それより多くは選べません。"
        ) % {"n": infants}
        self.fields["fee"].required = False  # a fee the contract gives may be left out
        if any(s.fee_known for s in services):
            self.fields["fee"].help_text = _("空欄なら契約の料金: %(fees)s") % {
                "fees": "、".join(
                    f"{name} {amount:,}円" for s in services for name, amount in s.fees
                )
            }
        else:
            self.fields["fee"].help_text = _(
                "制度文書にこの施設の料金がないため、1泊・1日・1回あたりの料金を入力してください。"
            )
        today = timezone.localdate()
        self.fields["start_day"].latest = today
        self.fields["start_day"].initial = today
        if own_patients_only:
            self.fields["own_patient"] = forms.TypedChoiceField(
                label=_("当施設の受診者ですか"),
                choices=[("yes", _("はい")), ("no", _("いいえ"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                help_text=_("この施設の委託は受診者のみが対象です。"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if self.has_error("start_time") or self.has_error("end_time"):
            return data
        if (start_time is None) != (end_time is None):
            field = "end_time" if start_time else "start_time"
            self.add_error(field, _("開始時刻と終了時刻は両方入力してください。"))
        elif data.get("end_day") and end_time is None:
            self.add_error("end_time", _("終了日を入力したときは、終了時刻も入力してください。"))
        elif start_time and data.get("quantity"):
            self.add_error(
                "quantity",
                _("時刻を入力したときは、数量は空欄にしてください（時刻から数えます）。"),
            )
        elif start_time and data.get("start_day"):
            start, end = self._moments(data)
            if end <= start:
                self.add_error("end_time", _("終了は開始より後の日時にしてください。"))
        self._require_fee(data)
        return data

    def _require_fee(self, data: dict[str, Any]) -> None:
        offered = self.services.get(data.get("service") or "")
        missing = offered and not offered.fee_known and data.get("fee") is None
        if missing and not self.has_error("fee"):
            self.add_error(
                "fee",
                _("料金を入力してください（この施設のこのサービスの料金は制度文書にありません）。"),
            )

    @staticmethod
    def _moments(data: dict[str, Any]) -> tuple[datetime, datetime]:
        start = datetime.combine(data["start_day"], data["start_time"])
        end = datetime.combine(data.get("end_day") or data["start_day"], data["end_time"])
        return timezone.make_aware(start), timezone.make_aware(end)

    def details(self) -> dict[str, Any]:
        """The keywords of ``UseDetails`` and ``use_record``."""
        data = self.cleaned_data
        start = end = None
        if data.get("start_time"):
            start, end = self._moments(data)
        return {
            "service": data["service"],
            "day": data["start_day"],
            "start": start,
            "end": end,
            "quantity": None if start else (data.get("quantity") or 1),
            "infants": data["infants"],
            "fee": data.get("fee"),
            "extras": data.get("extras") or 0,
            "own_patient": data.get("own_patient"),
        }

    def add_service_error(self, error: ServiceError) -> None:
        field = _SERVICE_FIELDS.get(error.field or "")
        self.add_error(field if field in self.fields else None, error.message)


class CorrectForm(UseForm):
    """訂正: the use's figures as they should have been, and why."""

    reason = forms.CharField(
        label=_("訂正の理由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("元の記録は理由とともに取消として残ります。"),
    )


class VoidForm(OnceForm):
    """取消: the use stays in the history with its reason and no longer counts."""

    reason = forms.CharField(
        label=_("取消の理由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 二重に記録したため"),
    )

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


# --- 利用の一覧 ----------------------------------------------------------------------------------


def month_choices(today: date, count: int = 24) -> list[tuple[str, str]]:
    """This month and the ``count - 1`` before it, newest first: ("2026-04", "2026年4月")."""
    choices = []
    year, month = today.year, today.month
    for _i in range(count):
        choices.append((f"{year:04d}-{month:02d}", f"{year}年{month}月"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return choices


class MonthForm(forms.Form):
    """The month of the uses listed (this month by default)."""

    month = forms.ChoiceField(label=_("利用月"), required=False)

    def __init__(self, data: Any, *, today: date) -> None:
        super().__init__(data)
        self.fields["month"].choices = month_choices(today)
        self.today = today

    def chosen(self) -> date:
        """The first day of the month chosen."""
        if self.is_valid() and self.cleaned_data["month"]:
            year, month = self.cleaned_data["month"].split("-")
            return date(int(year), int(month), 1)
        return self.today.replace(day=1)
