"""Forms of the DTKS proposal pages (usulan DTKS)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, Form
from registry.models import VerivaliResult


class DtksProposalForm(Form):
    reason = forms.CharField(
        label=_("Alasan diusulkan"),
        help_text=_(
            "Kondisi keluarga: pekerjaan dan penghasilan, rumah, tanggungan, "
            "disabilitas atau sakit menahun."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MuskelForm(Form):
    agreed = forms.TypedChoiceField(
        label=_("Keputusan musyawarah"),
        choices=[("1", _("Disetujui diusulkan")), ("0", _("Tidak disetujui"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    muskel_date = forms.DateField(
        label=_("Tanggal musyawarah kelurahan"), widget=DateInput()
    )
    muskel_reference = forms.CharField(label=_("Nomor berita acara"), max_length=60)
    note = forms.CharField(
        label=_("Catatan (wajib bila tidak disetujui)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerivaliForm(Form):
    visited_on = forms.DateField(label=_("Tanggal kunjungan rumah"), widget=DateInput())
    result = forms.ChoiceField(
        label=_("Hasil verivali"), choices=VerivaliResult.choices
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalConcludeForm(Form):
    included = forms.TypedChoiceField(
        label=_("Hasil"),
        choices=[
            ("1", _("Masuk DTKS/DTSEN")),
            ("0", _("Tidak masuk DTKS/DTSEN")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Keterangan (wajib bila tidak masuk)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProposalSubmitForm(Form):
    period = forms.DateField(
        label=_("Periode pengiriman (tanggal berapa pun di bulan itu)"),
        widget=DateInput(),
    )
