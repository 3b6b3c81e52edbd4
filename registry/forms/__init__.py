from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from core.files import MAX_UPLOAD_BYTES, sniffed_type
from core.forms import DateInput, DigitsInput, Form, ModelForm
from core.identity import normalize_number, parse_kk, parse_nik
from core.models import Kelurahan
from registry.models import (
    DtksLeaverContact,
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    Person,
    Relationship,
    SktmDocument,
    SktmPurpose,
)


class VersionedForm(ModelForm):
    """Carries the record version the user saw, for the stale-save check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class HouseholdForm(VersionedForm):
    kelurahan = forms.ModelChoiceField(
        queryset=Kelurahan.objects.select_related("kecamatan"), label=_("Kelurahan")
    )

    class Meta:
        model = Household
        fields = ["kk_number", "kelurahan", "rt", "rw", "address"]
        widgets = {"kk_number": DigitsInput()}

    def __init__(
        self, *args: Any, fixed_kelurahan: Kelurahan | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if fixed_kelurahan is not None or self.instance.pk:
            # Operators work in their own kelurahan; a household moves through a
            # KK change, not by editing this field.
            self.fields.pop("kelurahan")
        if self.instance.pk:
            self.fields.pop("kk_number")

    def clean_kk_number(self) -> str | None:
        return optional_kk_number(self.cleaned_data.get("kk_number"))

    def clean(self) -> dict[str, Any]:
        # Uniqueness is checked by the service's full_clean with a clear message.
        cleaned: dict[str, Any] = self.cleaned_data
        return cleaned

    def validate_unique(self) -> None:
        return None


class PersonForm(VersionedForm):
    confirm_mismatch = forms.BooleanField(
        required=False,
        label=_("Saya sudah memeriksa dokumen: data NIK memang berbeda (NIK lama)."),
    )

    class Meta:
        model = Person
        fields = [
            "nik",
            "name",
            "birth_place",
            "birth_date",
            "sex",
            "relationship",
            "marital_status",
            "occupation",
            "formally_employed",
            "disability",
            "domicile_status",
            "phone",
            "is_deceased",
            "deceased_on",
        ]
        widgets = {
            "nik": DigitsInput(),
            "phone": DigitsInput({"autocomplete": "tel"}),
            "birth_date": DateInput(),
            "deceased_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mismatch_warnings: list[str] = []
        self.fields["birth_date"].required = True

    def clean_nik(self) -> str | None:
        value = normalize_number(self.cleaned_data.get("nik"))
        if not value:
            return None
        parse_nik(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        nik = cleaned.get("nik")
        if nik:
            self.mismatch_warnings = parse_nik(nik).mismatch_warnings(
                declared_birth_date=cleaned.get("birth_date"),
                declared_sex=cleaned.get("sex"),
            )
            if self.mismatch_warnings and not cleaned.get("confirm_mismatch"):
                self.add_error(
                    "confirm_mismatch",
                    ValidationError(
                        " ".join(self.mismatch_warnings)
                        + " "
                        + str(_("Centang konfirmasi jika data ini memang benar."))
                    ),
                )
        if cleaned.get("deceased_on") and not cleaned.get("is_deceased"):
            self.add_error(
                "is_deceased", _("Centang “meninggal dunia” jika ada tanggalnya.")
            )
        return cleaned

    def validate_unique(self) -> None:
        return None

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}


class PersonSearchForm(Form):
    q = forms.CharField(
        label=_("NIK, nomor KK, atau nama"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    kelurahan = forms.ModelChoiceField(
        queryset=Kelurahan.objects.all(), required=False, label=_("Kelurahan")
    )
    rt = forms.CharField(label=_("RT"), required=False, max_length=3)
    rw = forms.CharField(label=_("RW"), required=False, max_length=3)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, restrict_kelurahan: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if restrict_kelurahan:
            self.fields.pop("kelurahan")


class SktmRequestForm(Form):
    purpose = forms.ModelChoiceField(
        queryset=SktmPurpose.objects.filter(active=True), label=_("Keperluan")
    )
    purpose_detail = forms.CharField(
        label=_("Keterangan keperluan"), required=False, max_length=255
    )
    pengantar_number = forms.CharField(
        label=_("Nomor surat pengantar RT/RW"), max_length=60
    )
    pengantar_date = forms.DateField(
        label=_("Tanggal surat pengantar"), widget=DateInput()
    )
    ktp = forms.FileField(label=_("Salinan KTP-el"), required=False)
    kk = forms.FileField(label=_("Salinan KK"), required=False)
    pengantar = forms.FileField(label=_("Surat pengantar RT/RW"), required=False)
    pernyataan = forms.FileField(
        label=_("Surat pernyataan tidak mampu"), required=False
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for kind in ("ktp", "kk", "pengantar", "pernyataan"):
            upload = cleaned.get(kind)
            if upload is None:
                continue
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error(kind, _("Ukuran berkas maksimal 5 MB."))
            if sniffed_type(upload) is None:
                self.add_error(kind, _("Berkas harus PDF, JPG atau PNG."))
        return cleaned

    def documents(self) -> list[tuple[str, object]]:
        kinds = {
            "ktp": SktmDocument.Kind.KTP,
            "kk": SktmDocument.Kind.KK,
            "pengantar": SktmDocument.Kind.PENGANTAR,
            "pernyataan": SktmDocument.Kind.STATEMENT,
        }
        return [
            (kinds[k], self.cleaned_data[k]) for k in kinds if self.cleaned_data.get(k)
        ]


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(Form):
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SktmIssueForm(Form):
    signed_by_name = forms.CharField(
        label=_("Nama lurah penandatangan"), max_length=100
    )
    signed_by_nip = forms.CharField(label=_("NIP"), max_length=30)
    issued_on = forms.DateField(
        label=_("Tanggal terbit"), widget=DateInput(), required=False
    )


class DtksUploadForm(Form):
    period = forms.DateField(
        label=_("Periode data (tanggal berapa pun di bulan itu)"), widget=DateInput()
    )
    file = forms.FileField(label=_("Berkas DTKS (CSV atau XLSX)"))

    MAX_BYTES = 1024 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError(_("Berkas harus CSV atau XLSX."))
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("Berkas terlalu besar (maksimal 1 GB)."))
        return upload


def optional_kk_number(value: str | None) -> str | None:
    digits = normalize_number(value)
    if not digits:
        return None
    parse_kk(digits)
    return digits


class HouseholdKkChangeForm(Form):
    """A new KK number for the same family (reissue, move, correction)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    kk_number = forms.CharField(label=_("Nomor KK baru"), widget=DigitsInput())
    reason = forms.ChoiceField(
        label=_("Alasan"),
        choices=[
            (value, label)
            for value, label in HouseholdKkNumber.Reason.choices
            if value != HouseholdKkNumber.Reason.FIRST
        ],
    )
    valid_from = forms.DateField(
        label=_("Berlaku sejak (kosongkan bila hari ini)"),
        required=False,
        widget=DateInput(),
    )

    def clean_kk_number(self) -> str | None:
        return optional_kk_number(self.cleaned_data.get("kk_number"))


class PersonMoveForm(Form):
    """Where a person goes: into a household already registered, or heading a new
    one (pecah KK)."""

    EXISTING = "ada"
    NEW = "baru"

    version = forms.IntegerField(widget=forms.HiddenInput)
    destination = forms.ChoiceField(
        label=_("Tujuan"),
        choices=[
            (EXISTING, _("Masuk ke keluarga lain yang sudah terdaftar")),
            (NEW, _("Membentuk keluarga baru sebagai kepala keluarga (pecah KK)")),
        ],
        widget=forms.RadioSelect,
        initial=EXISTING,
    )
    kk_number = forms.CharField(
        label=_("Nomor KK tujuan / KK baru"),
        required=False,
        widget=DigitsInput(),
        help_text=_("Untuk pecah KK boleh dikosongkan bila KK baru belum terbit."),
    )
    relationship = forms.ChoiceField(
        label=_("Hubungan dalam keluarga tujuan"),
        # No default: a wrong one (head of a household that has one) must be chosen,
        # not slipped through.
        choices=[*BLANK_CHOICE_DASH, *Relationship.choices],
        required=False,
        help_text=_("Untuk pecah KK selalu kepala keluarga."),
    )
    reason = forms.ChoiceField(
        label=_("Alasan pindah"),
        choices=[
            (value, label)
            for value, label in HouseholdMembership.Reason.choices
            if value
            in (
                HouseholdMembership.Reason.MOVE_IN,
                HouseholdMembership.Reason.MARRIAGE,
                HouseholdMembership.Reason.CORRECTION,
            )
        ],
        required=False,
        help_text=_("Untuk pecah KK selalu “Pecah KK”."),
    )
    rt = forms.CharField(label=_("RT (keluarga baru)"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW (keluarga baru)"), max_length=3, required=False)
    address = forms.CharField(
        label=_("Alamat (keluarga baru)"), max_length=255, required=False
    )
    moved_on = forms.DateField(
        label=_("Tanggal pindah (kosongkan bila hari ini)"),
        required=False,
        widget=DateInput(),
    )

    def clean_kk_number(self) -> str | None:
        return optional_kk_number(self.cleaned_data.get("kk_number"))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("destination") == self.EXISTING:
            if not cleaned.get("kk_number") and "kk_number" not in self.errors:
                self.add_error("kk_number", _("Isi nomor KK keluarga tujuan."))
            if not cleaned.get("relationship"):
                self.add_error(
                    "relationship", _("Pilih hubungan dalam keluarga tujuan.")
                )
            if not cleaned.get("reason"):
                self.add_error("reason", _("Pilih alasan pindah."))
        return cleaned


class DtksLeaverContactForm(Form):
    outcome = forms.ChoiceField(
        label=_("Hasil panggilan"), choices=DtksLeaverContact.Outcome.choices
    )
    note = forms.CharField(
        label=_("Catatan"),
        max_length=DtksLeaverContact._meta.get_field("note").max_length,
        required=False,
    )
