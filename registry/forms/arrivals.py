"""Forms of the pindah datang pages: find the arriving resident by the two numbers
on their letter of moving, then say who moves and where to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DigitsInput, Form
from core.identity import normalize_number, parse_nik
from core.models import Kelurahan
from registry.forms import optional_kk_number
from registry.models import Relationship


class ArrivalLookupForm(Form):
    nik = forms.CharField(label=_("NIK penduduk yang pindah"), widget=DigitsInput())
    origin_kk = forms.CharField(
        label=_("Nomor KK asal"),
        widget=DigitsInput(),
        help_text=_(
            "Nomor KK di kelurahan asal, seperti tertulis pada surat pindah (SKPWNI)."
        ),
    )

    def clean_nik(self) -> str:
        value = normalize_number(self.cleaned_data.get("nik"))
        parse_nik(value)
        return value

    def clean_origin_kk(self) -> str | None:
        return optional_kk_number(self.cleaned_data.get("origin_kk"))


class ArrivalForm(ArrivalLookupForm):
    """Who moves and where. The two numbers travel along, hidden, and are matched
    again on saving: the page never carries a record id of another kelurahan."""

    FAMILY = "keluarga"
    JOIN = "gabung"
    NEW = "baru"

    scope = forms.ChoiceField(
        label=_("Yang pindah"),
        choices=[
            (FAMILY, _("Seluruh keluarga (semua anggota KK asal)")),
            (JOIN, _("Hanya penduduk ini, masuk ke keluarga yang sudah terdaftar")),
            (NEW, _("Hanya penduduk ini, membentuk keluarga baru (KK baru)")),
        ],
        widget=forms.RadioSelect,
        initial=FAMILY,
    )
    kelurahan = forms.ModelChoiceField(
        queryset=Kelurahan.objects.select_related("kecamatan"),
        label=_("Kelurahan tujuan"),
    )
    kk_number = forms.CharField(
        label=_("Nomor KK di alamat baru"),
        required=False,
        widget=DigitsInput(),
        help_text=_(
            "Untuk masuk ke keluarga yang sudah terdaftar: nomor KK keluarga itu. "
            "Selain itu boleh dikosongkan bila KK baru belum terbit."
        ),
    )
    relationship = forms.ChoiceField(
        label=_("Hubungan dalam keluarga tujuan"),
        choices=[*BLANK_CHOICE_DASH, *Relationship.choices],
        required=False,
        help_text=_("Hanya untuk masuk ke keluarga yang sudah terdaftar."),
    )
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    address = forms.CharField(label=_("Alamat baru"), max_length=255, required=False)
    moved_on = forms.DateField(
        label=_("Tanggal pindah (kosongkan bila hari ini)"),
        required=False,
        widget=DateInput(),
    )
    person_version = forms.IntegerField(widget=forms.HiddenInput)
    household_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, fixed_kelurahan: Kelurahan | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_kelurahan = fixed_kelurahan
        for name in ("nik", "origin_kk"):
            self.fields[name].widget = forms.HiddenInput()
        if fixed_kelurahan is not None:
            self.fields.pop("kelurahan")

    def clean_kk_number(self) -> str | None:
        return optional_kk_number(self.cleaned_data.get("kk_number"))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.fixed_kelurahan is not None:
            cleaned["kelurahan"] = self.fixed_kelurahan
        scope = cleaned.get("scope")
        if scope == self.JOIN:
            if not cleaned.get("kk_number") and "kk_number" not in self.errors:
                self.add_error("kk_number", _("Isi nomor KK keluarga tujuan."))
            if not cleaned.get("relationship"):
                self.add_error(
                    "relationship", _("Pilih hubungan dalam keluarga tujuan.")
                )
        elif scope in (self.FAMILY, self.NEW) and not cleaned.get("address"):
            self.add_error("address", _("Isi alamat baru."))
        return cleaned
