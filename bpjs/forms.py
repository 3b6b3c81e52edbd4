from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from bpjs.models import HealthFacility, RemovalReason
from core.files import MAX_UPLOAD_BYTES, sniffed_type
from core.forms import DateInput, Form


class ApplicationForm(Form):
    facility = forms.ModelChoiceField(
        queryset=HealthFacility.objects.filter(active=True), label=_("Faskes tingkat 1")
    )
    arrears_note = forms.CharField(
        label=_("Catatan tunggakan iuran (jika ada)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    whole_household = forms.BooleanField(
        label=_("Ajukan seluruh anggota keluarga yang memenuhi syarat"), required=False
    )
    ktp = forms.FileField(label=_("KTP-el"), required=False)
    kk = forms.FileField(label=_("Kartu Keluarga"), required=False)
    sktm = forms.FileField(label=_("SKTM (jika dasar SKTM)"), required=False)

    def clean(self) -> dict[str, object]:
        cleaned: dict[str, object] = super().clean() or {}
        for name in ("ktp", "kk", "sktm"):
            upload = cleaned.get(name)
            if not isinstance(upload, UploadedFile):
                continue
            if (upload.size or 0) > MAX_UPLOAD_BYTES or sniffed_type(upload) is None:
                self.add_error(name, _("Berkas harus PDF/JPG/PNG, maksimal 5 MB."))
        return cleaned

    def documents(self) -> list[tuple[str, object]]:
        return [
            (k, self.cleaned_data[k])
            for k in ("ktp", "kk", "sktm")
            if self.cleaned_data.get(k)
        ]


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Alasan / catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BatchForm(Form):
    period = forms.DateField(label=_("Bulan usulan (TMT)"), widget=DateInput())


class AnswerUploadForm(Form):
    file = forms.FileField(label=_("Berkas jawaban BPJS (CSV/XLSX)"))


class RemovalForm(Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=RemovalReason.choices)
    evidence = forms.CharField(
        label=_("Bukti / keterangan"), widget=forms.Textarea(attrs={"rows": 2})
    )


class MonthForm(Form):
    month = forms.DateField(label=_("Bulan"), widget=DateInput(), required=False)
