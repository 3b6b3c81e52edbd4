"""django-import-export resources for small ad-hoc files in the admin.

Bulk DTKS snapshots go through registry.services.dtks (COPY + set-based SQL); this path
is for a handful of corrections and doubles as the benchmark baseline.
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources

from core.identity import normalize_number, parse_nik
from registry.models import Person
from registry.names import normalize_name


class PersonResource(resources.ModelResource):
    kelurahan = fields.Field(attribute="kelurahan_id", column_name="kelurahan")

    class Meta:
        model = Person
        import_id_fields = ["nik"]
        fields = (
            "nik",
            "name",
            "birth_place",
            "birth_date",
            "sex",
            "relationship",
            "occupation",
            "formally_employed",
            "kelurahan",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = False

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        row["nik"] = normalize_number(row.get("nik"))
        parse_nik(row["nik"])

    def before_save_instance(self, instance: Person, row: Any, **kwargs: Any) -> None:
        instance.name_search = normalize_name(instance.name)
