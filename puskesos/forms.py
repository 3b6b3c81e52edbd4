from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DigitsInput, Form
from core.identity import is_digits, normalize_number, parse_kk, parse_nik
from core.models import Kelurahan
from puskesos.models import Agency, ComplaintClass, NeedCategory, RequestType
from registry.models import SktmPurpose


class IntakeForm(Form):
    person = forms.CharField(required=False, widget=forms.HiddenInput)
    applicant_name = forms.CharField(
        label=_("Nama pemohon"), max_length=150, required=False
    )
    nik = forms.CharField(
        label=_("NIK"), max_length=20, required=False, widget=DigitsInput()
    )
    kk_number = forms.CharField(
        label=_("Nomor KK"), max_length=20, required=False, widget=DigitsInput()
    )
    phone = forms.CharField(
        label=_("Nomor HP"), max_length=20, required=False, widget=DigitsInput()
    )
    request_type = forms.ChoiceField(
        label=_("Jenis"), choices=RequestType.choices, initial=RequestType.COMPLAINT
    )
    need = forms.ModelChoiceField(
        queryset=NeedCategory.objects.all(), label=_("Kebutuhan")
    )
    description = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3})
    )
    complaint_class = forms.ChoiceField(
        label=_("Kelas pengaduan"),
        choices=ComplaintClass.choices,
        initial=ComplaintClass.NORMATIVE,
    )
    urgent = forms.BooleanField(label=_("Mendesak: kirim TRC"), required=False)

    def clean_nik(self) -> str:
        value = normalize_number(self.cleaned_data.get("nik"))
        if value:
            parse_nik(value)
        return value

    def clean_kk_number(self) -> str:
        value = normalize_number(self.cleaned_data.get("kk_number"))
        if value:
            parse_kk(value)
        return value


class PublicApplicationForm(Form):
    nik = forms.CharField(label=_("NIK"), max_length=20, widget=DigitsInput())
    kk_number = forms.CharField(
        label=_("Nomor KK"), max_length=20, widget=DigitsInput()
    )
    applicant_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    phone = forms.CharField(
        label=_("Nomor HP"), max_length=20, widget=DigitsInput({"autocomplete": "tel"})
    )
    kelurahan = forms.ModelChoiceField(
        queryset=Kelurahan.objects.all(),
        label=_("Kelurahan"),
        empty_label=_("Pilih kelurahan"),
    )
    need = forms.ModelChoiceField(
        queryset=NeedCategory.objects.all(),
        label=_("Kebutuhan"),
        empty_label=_("Pilih kebutuhan"),
    )
    description = forms.CharField(
        label=_("Uraian"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The notice above the form says what is done with the data (UU 27/2022 Pasal 21
    # [U: article recalled]); the citizen confirms having read it and that the data
    # is true. The legal basis is public service, not this consent [U].
    confirmed = forms.BooleanField(
        label=_(
            "Saya telah membaca pemberitahuan di atas dan menyatakan data yang saya "
            "isi benar."
        ),
        error_messages={"required": _("Centang pernyataan ini untuk mengirim.")},
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot

    def clean_nik(self) -> str:
        value = normalize_number(self.cleaned_data.get("nik"))
        parse_nik(value)
        return value

    def clean_kk_number(self) -> str:
        value = normalize_number(self.cleaned_data.get("kk_number"))
        parse_kk(value)
        return value

    def clean_phone(self) -> str:
        value = normalize_number(self.cleaned_data.get("phone")).replace("+", "")
        if not is_digits(value) or not 9 <= len(value) <= 15:
            raise ValidationError(_("Nomor HP tidak valid."))
        return value

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Permohonan ditolak."))
        return ""


class StatusLookupForm(Form):
    ticket = forms.CharField(label=_("Kode tiket"), max_length=12)
    nik_last4 = forms.CharField(
        label=_("4 digit terakhir NIK"),
        help_text=_(
            "Tidak punya NIK? Isi 4 digit terakhir nomor HP yang dicatat petugas."
        ),
        max_length=4,
        min_length=4,
        widget=DigitsInput(),
    )


class TransitionForm(Form):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    service_decision = forms.CharField(
        label=_("Layanan yang ditetapkan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferralForm(Form):
    target = forms.ChoiceField(label=_("Rujuk ke"))
    note = forms.CharField(label=_("Catatan"), required=False)
    sktm_purpose = forms.ModelChoiceField(
        queryset=SktmPurpose.objects.filter(active=True),
        label=_("Keperluan SKTM"),
        required=False,
    )
    pengantar_number = forms.CharField(
        label=_("No. pengantar RT/RW (SKTM)"), required=False
    )
    pengantar_date = forms.DateField(
        label=_("Tgl pengantar (SKTM)"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        internal = [
            (f"internal:{v}", _("%(label)s (alur internal)") % {"label": label})
            for v, label in NeedCategory.Internal.choices
            if v
        ]
        external = [(f"agency:{a.code}", a.name) for a in Agency.objects.all()]
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [*internal, *external]
