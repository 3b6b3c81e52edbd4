from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import IMAGE_TYPES, MAX_UPLOAD_BYTES, sniffed_type
from core.forms import DateInput, DigitsInput, Form, ModelForm
from core.models import Kelurahan
from odgj.models import (
    CaptureResult,
    CloseReason,
    FollowUp,
    Guardian,
    LegalBasis,
    OdgjSubject,
    Placement,
    PlaceType,
    ReporterType,
    VisitEncounter,
)
from registry.models import Sex


class SubjectForm(Form):
    alias = forms.CharField(label=_("Nama / sebutan"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices)
    estimated_age = forms.IntegerField(
        label=_("Perkiraan umur"), min_value=0, max_value=120, required=False
    )
    physical_description = forms.CharField(
        label=_("Ciri fisik"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    found_place = forms.CharField(label=_("Tempat ditemukan"), max_length=255)
    found_place_type = forms.ChoiceField(
        label=_("Jenis tempat"), choices=PlaceType.choices
    )
    kelurahan = forms.ModelChoiceField(
        queryset=Kelurahan.objects.all(), label=_("Kelurahan")
    )
    reporter_type = forms.ChoiceField(label=_("Pelapor"), choices=ReporterType.choices)
    reporter_reference = forms.CharField(
        label=_("Rujukan pelapor"), required=False, max_length=100
    )
    legal_basis = forms.ChoiceField(
        label=_("Dasar hukum pemrosesan data"),
        choices=LegalBasis.choices,
        initial=LegalBasis.VITAL_INTEREST,
    )
    consent_by = forms.CharField(label=_("Persetujuan oleh (jika ada)"), required=False)
    condition_notes = forms.CharField(
        label=_("Catatan kondisi (terenkripsi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = forms.FileField(label=_("Foto"), required=False)
    nik_hint = forms.CharField(
        label=_("NIK jika diketahui"),
        required=False,
        max_length=20,
        widget=DigitsInput(),
    )
    kk_hint = forms.CharField(
        label=_("No. KK jika diketahui"),
        required=False,
        max_length=20,
        widget=DigitsInput(),
    )
    birth_date_hint = forms.DateField(
        label=_("Tanggal lahir jika diketahui"), required=False, widget=DateInput()
    )
    link_person = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            if photo.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("Foto maksimal 5 MB."))
            kind = sniffed_type(photo)
            if kind is None or kind[0] not in IMAGE_TYPES:
                raise forms.ValidationError(_("Foto harus JPG atau PNG."))
        return photo


class NotesForm(ModelForm):
    class Meta:
        model = OdgjSubject
        fields = [
            "placement",
            "family_traced",
            "condition_notes",
            "health_notes",
            "laporan_sosial",
        ]
        widgets = {
            "condition_notes": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 2}),
            "laporan_sosial": forms.Textarea(attrs={"rows": 3}),
        }

    placement = forms.ChoiceField(label=_("Penempatan"), choices=Placement.choices)


class GuardianForm(ModelForm):
    class Meta:
        model = Guardian
        fields = [
            "guardian_type",
            "relation",
            "name",
            "contact",
            "court_order_number",
            "valid_until",
        ]
        widgets = {"valid_until": DateInput()}


class TransitionForm(Form):
    to_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    capture_result = forms.ChoiceField(
        label=_("Hasil perekaman"),
        choices=[("", "—"), *CaptureResult.choices],
        required=False,
    )
    recorded_by_officer = forms.CharField(label=_("Petugas Dukcapil"), required=False)
    nik = forms.CharField(
        label="NIK", required=False, max_length=20, widget=DigitsInput()
    )
    kk = forms.CharField(
        label=_("No. KK"), required=False, max_length=20, widget=DigitsInput()
    )
    event_date = forms.DateField(label=_("Tanggal"), required=False, widget=DateInput())
    close_reason = forms.ChoiceField(
        label=_("Alasan penutupan"),
        choices=[("", "—"), *CloseReason.choices],
        required=False,
    )


class FollowUpForm(ModelForm):
    class Meta:
        model = FollowUp
        fields = [
            "facility",
            "visit_date",
            "next_appointment",
            "notes",
            "reference",
            "done",
        ]
        widgets = {
            "visit_date": DateInput(),
            "next_appointment": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class FollowUpAddForm(FollowUpForm):
    class Meta(FollowUpForm.Meta):
        fields = ["kind", *FollowUpForm.Meta.fields]


class VisitPlanForm(Form):
    planned_date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    place_type = forms.ChoiceField(label=_("Jenis tempat"), choices=PlaceType.choices)
    place = forms.CharField(label=_("Tempat"), max_length=255)
    kelurahan = forms.ModelChoiceField(
        queryset=Kelurahan.objects.all(), label=_("Kelurahan")
    )
    external_team = forms.CharField(label=_("Tim Dukcapil / puskesmas"), required=False)
    subjects = forms.ModelMultipleChoiceField(
        queryset=OdgjSubject.objects.none(),
        label=_("Subjek yang dikunjungi"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, subjects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if subjects is not None:
            field = self.fields["subjects"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = subjects


class EncounterForm(Form):
    outcome = forms.ChoiceField(
        label=_("Hasil"), choices=VisitEncounter.Outcome.choices
    )
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BreakGlassForm(Form):
    reason = forms.CharField(
        label=_("Alasan membuka data ini"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Akses darurat berlaku 3 jam, dicatat, dan supervisor diberi tahu."
        ),
    )


class PersonLookupForm(Form):
    q = forms.CharField(
        label=_("NIK, nomor KK, atau nama di registri"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
