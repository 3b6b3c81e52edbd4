"""Partner API of the registry: population changes from Dukcapil (batches ≤ 1,000)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import IsDukcapilLiaison, RequiredScope, idempotent
from core.identity import parse_nik
from registry.models import PopulationChange
from registry.services.households import population_changes_record

MAX_BATCH = 1000


class ChangeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PopulationChange.Kind.choices)
    nik = serializers.CharField(max_length=20)
    event_date = serializers.DateField()
    region_code = serializers.CharField(
        max_length=13,
        required=False,
        allow_blank=True,
        help_text=(
            "Kode wilayah tujuan. Untuk pindah_masuk: kode kelurahan di Balikpapan "
            "(mis. 64.71.01.1001), agar kelurahan itu mencatat pindah datangnya."
        ),
    )
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)


class BatchInput(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.DictField(), max_length=MAX_BATCH, min_length=1
    )


class ItemResult(serializers.Serializer):
    index = serializers.IntegerField()
    accepted = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class BatchOutput(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = ItemResult(many=True)


class PopulationChangesView(APIView):
    permission_classes = [IsDukcapilLiaison, RequiredScope]
    required_scopes = {"POST": "population:write"}

    @extend_schema(
        request=BatchInput,
        responses={201: BatchOutput},
        summary="Kirim perubahan kependudukan (kematian, pindah)",
    )
    @idempotent
    def post(self, request: Request, version: str | None = None) -> Response:
        batch = BatchInput(data=request.data)
        batch.is_valid(raise_exception=True)
        results: list[dict[str, Any]] = []
        valid: list[dict[str, Any]] = []
        for index, raw in enumerate(batch.validated_data["items"]):
            item = ChangeInput(data=raw)
            if not item.is_valid():
                reason = "; ".join(
                    f"{k}: {' '.join(map(str, v))}" for k, v in item.errors.items()
                )
                results.append({"index": index, "accepted": False, "reason": reason})
                continue
            data = item.validated_data
            try:
                nik = parse_nik(data["nik"]).nik
            except ValidationError as exc:
                results.append(
                    {"index": index, "accepted": False, "reason": exc.messages[0]}
                )
                continue
            valid.append({**data, "nik": nik})
            results.append({"index": index, "accepted": True, "reason": ""})
        accepted = population_changes_record(changes=valid)
        return Response(
            {
                "accepted": accepted,
                "rejected": len(results) - accepted,
                "results": results,
            },
            status=status.HTTP_201_CREATED,
        )
