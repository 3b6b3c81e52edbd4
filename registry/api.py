"""Partner API of the registry: population changes from Dukcapil (batches ≤ 1,000)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import IsDukcapilLiaison, RequiredScope, idempotent
from core.identity import parse_nik
from registry.models import PopulationChange

MAX_BATCH = 1000


class ChangeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PopulationChange.Kind.choices)
    nik = serializers.CharField(max_length=20)
    event_date = serializers.DateField()
    region_code = serializers.CharField(max_length=13, required=False, allow_blank=True)
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
        to_create: list[PopulationChange] = []
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
            to_create.append(
                PopulationChange(
                    kind=data["kind"],
                    nik=nik,
                    event_date=data["event_date"],
                    region_code=data.get("region_code", ""),
                    source_reference=data.get("reference", ""),
                )
            )
            results.append({"index": index, "accepted": True, "reason": ""})
        with transaction.atomic():
            PopulationChange.objects.bulk_create(to_create)
        accepted = sum(1 for r in results if r["accepted"])
        return Response(
            {
                "accepted": accepted,
                "rejected": len(results) - accepted,
                "results": results,
            },
            status=status.HTTP_201_CREATED,
        )
