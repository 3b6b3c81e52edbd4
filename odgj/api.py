"""Partner API for the Dukcapil liaison: the ODGJ recording queue, recording events,
subject photos, and a person's service status by NIK (in the body, never the URL).
Every read of ODGJ data here goes through the read log."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.api import (
    IsDukcapilLiaison,
    RequiredScope,
    idempotent,
    json_response,
    request_json,
)
from core.identity import normalize_number, parse_nik
from core.models import AccessLog, User
from core.services import record_access_many
from odgj.models import WAITING_FOR_DUKCAPIL, CaptureResult, OdgjSubject, Stage
from odgj.selectors import (
    guardian_rows_by_subject,
    odgj_subject_get_for_actor,
    service_status_by_nik,
)
from odgj.services import odgj_case_transition

EVENTS = [
    Stage.RECORDED,
    Stage.EXISTING_NIK_FOUND,
    Stage.NIK_ISSUED,
    Stage.KTP_PRINTED,
    Stage.KTP_DELIVERED,
]


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class GuardianOutput(serializers.Serializer):
    type = serializers.CharField(source="guardian_type")
    name = serializers.CharField()
    relation = serializers.CharField()
    contact = serializers.CharField()


class WaitingSubjectOutput(serializers.Serializer):
    """Exactly what Dukcapil needs to record a person: no health or condition notes."""

    id = serializers.UUIDField(source="public_id")
    alias = serializers.CharField()
    sex = serializers.CharField()
    estimated_birth_date = serializers.DateField(allow_null=True)
    found_place = serializers.CharField()
    kelurahan_code = serializers.CharField(source="kelurahan_id")
    stage = serializers.CharField()
    change_seq = serializers.IntegerField()
    guardians = GuardianOutput(many=True, source="guardian_rows")
    photo_url = serializers.SerializerMethodField()

    def get_photo_url(self, subject: OdgjSubject) -> str | None:
        return _photo_url(subject, self.context.get("request"))


def waiting_subject_row(
    subject: OdgjSubject, request: Request | None
) -> dict[str, Any]:
    """A subject as WaitingSubjectOutput shows it (which documents the shape in the
    schema; a test holds the two equal). DRF's serializer cost more than half of a
    100-subject page's time (bench/api.py)."""
    birth = subject.estimated_birth_date
    return {
        "id": str(subject.public_id),
        "alias": subject.alias,
        "sex": subject.sex,
        "estimated_birth_date": birth.isoformat() if birth else None,
        "found_place": subject.found_place,
        "kelurahan_code": str(subject.kelurahan_id),
        "stage": subject.stage,
        "change_seq": subject.change_seq,
        "guardians": [
            {
                "type": row["guardian_type"],
                "name": row["name"],
                "relation": row["relation"],
                "contact": row["contact"],
            }
            for row in subject.guardian_rows  # type: ignore[attr-defined]
        ],
        "photo_url": _photo_url(subject, request),
    }


def _photo_url(subject: OdgjSubject, request: Request | None) -> str | None:
    if not subject.photo:
        return None
    return reverse(
        "api:odgj-photo",
        kwargs={"public_id": subject.public_id, "version": "v1"},
        request=request,
    )


class ChangeSequencePagination(CursorPagination):
    """Ordered by a monotonic change sequence, so an incremental sync never misses or
    repeats a change (updated_at is neither unique nor monotonic)."""

    ordering = "change_seq"
    page_size = 100


class WaitingSubjectsView(ListAPIView):
    permission_classes = [IsDukcapilLiaison, RequiredScope]
    required_scopes = {"GET": "odgj:read"}
    serializer_class = WaitingSubjectOutput
    pagination_class = ChangeSequencePagination
    queryset = OdgjSubject.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "stage", OpenApiTypes.STR, enum=[s.value for s in WAITING_FOR_DUKCAPIL]
            ),
            OpenApiParameter("kelurahan", OpenApiTypes.STR),
        ],
        summary="Antrean subjek ODGJ yang menunggu perekaman",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        record_access_many(
            actor=_actor(request),
            model=OdgjSubject,
            pks=[subject.pk for subject in getattr(self, "_page_subjects", [])],
            purpose="antrean perekaman Dukcapil",
            channel=AccessLog.Channel.API,
        )
        return response

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return OdgjSubject.objects.none()
        subjects = (
            OdgjSubject.objects.for_actor(self.request.user)
            .filter(stage__in=WAITING_FOR_DUKCAPIL)
            .only(
                "id",
                "public_id",
                "alias",
                "sex",
                "estimated_birth_date",
                "found_place",
                "kelurahan",
                "stage",
                "change_seq",
                "photo",
            )
        )
        stage = self.request.query_params.get("stage")
        if stage:
            subjects = subjects.filter(stage=stage)
        kelurahan = self.request.query_params.get("kelurahan")
        if kelurahan:
            subjects = subjects.filter(kelurahan_id=kelurahan)
        return subjects

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            [waiting_subject_row(subject, request) for subject in page]
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self._page_subjects = page or []
        guardians = guardian_rows_by_subject([s.pk for s in self._page_subjects])
        for subject in self._page_subjects:
            subject.guardian_rows = guardians.get(subject.pk, [])
        return page


class EventInput(serializers.Serializer):
    event = serializers.ChoiceField(choices=[(s.value, s.label) for s in EVENTS])
    capture_result = serializers.ChoiceField(
        choices=CaptureResult.choices, required=False
    )
    officer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    nik = serializers.CharField(max_length=20, required=False, allow_blank=True)
    kk = serializers.CharField(max_length=20, required=False, allow_blank=True)
    date = serializers.DateField(required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class EventOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    stage = serializers.CharField()
    change_seq = serializers.IntegerField()


class RecordingEventView(APIView):
    permission_classes = [IsDukcapilLiaison, RequiredScope]
    required_scopes = {"POST": "odgj:write"}

    @extend_schema(
        request=EventInput,
        responses={200: EventOutput},
        summary="Laporkan hasil perekaman / penerbitan NIK / KTP-el",
    )
    @idempotent
    def post(
        self, request: Request, public_id: str, version: str | None = None
    ) -> Response:
        data = EventInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        assert isinstance(user, User)
        subject = odgj_subject_get_for_actor(
            user,
            public_id,
            purpose="laporan perekaman Dukcapil",
            channel=AccessLog.Channel.API,
        )
        subject = odgj_case_transition(
            actor=user,
            subject=subject,
            to_stage=values["event"],
            capture_result=values.get("capture_result", ""),
            recorded_on=values.get("date"),
            recorded_by_officer=values.get("officer", ""),
            nik=values.get("nik", ""),
            kk=values.get("kk", ""),
            event_date=values.get("date"),
            note=values.get("note", ""),
        )
        return Response(EventOutput(subject).data)


class SubjectPhotoView(APIView):
    permission_classes = [IsDukcapilLiaison, RequiredScope]
    required_scopes = {"GET": "odgj:read"}

    @extend_schema(
        responses={(200, "image/*"): OpenApiTypes.BINARY},
        summary="Foto subjek (tercatat di log akses)",
    )
    def get(
        self, request: Request, public_id: str, version: str | None = None
    ) -> FileResponse:
        user = request.user
        assert isinstance(user, User)
        subject = odgj_subject_get_for_actor(
            user,
            public_id,
            purpose="foto untuk perekaman",
            channel=AccessLog.Channel.API,
        )
        if not subject.photo:
            raise Http404
        return FileResponse(subject.photo.open("rb"))


class StatusInput(serializers.Serializer):
    nik = serializers.CharField(max_length=20)

    def validate_nik(self, value: str) -> str:
        from django.core.exceptions import ValidationError

        try:
            return parse_nik(normalize_number(value)).nik
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from exc


class StatusOutput(serializers.Serializer):
    found = serializers.BooleanField()
    in_dtks = serializers.BooleanField()
    bpjs_active = serializers.BooleanField()
    bpjs_segment = serializers.CharField(allow_null=True)
    odgj_open_case = serializers.BooleanField()


class ServiceStatusView(APIView):
    permission_classes = [IsDukcapilLiaison, RequiredScope]
    required_scopes = {"POST": "status:read"}

    @extend_schema(
        request=StatusInput,
        responses={200: StatusOutput},
        summary="Status layanan seseorang berdasarkan NIK (NIK di body)",
    )
    def post(self, request: Request, version: str | None = None) -> HttpResponse:
        nik = _requested_nik(request_json(request))
        status = service_status_by_nik(_actor(request), nik)
        # The output serializer documents the shape; building one per call (and
        # DRF's Response and renderer) cost as much CPU as the status query
        # (bench/api.py), and the fields are the same.
        return json_response(request, dataclasses.asdict(status))


def _requested_nik(data: Any) -> str:
    """The NIK of a status request. A well-formed NIK is taken directly; anything
    else goes through StatusInput, which words the error."""
    value = data.get("nik") if isinstance(data, Mapping) else None
    if isinstance(value, str) and len(value) <= 20:
        try:
            return parse_nik(normalize_number(value)).nik
        except ValidationError:
            pass
    serializer = StatusInput(data=data)
    serializer.is_valid(raise_exception=True)
    nik: str = serializer.validated_data["nik"]
    return nik
