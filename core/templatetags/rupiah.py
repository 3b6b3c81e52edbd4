"""`{{ amount|rupiah }}` → "Rp1.500.000" (CLDR id_ID through Babel, whole rupiah)."""

from __future__ import annotations

from babel.numbers import format_currency
from django import template

register = template.Library()


@register.filter
def rupiah(value: int | str | None) -> str:
    if value is None or value == "":
        return "—"
    return str(
        format_currency(
            int(value), "IDR", locale="id_ID", format="¤#,##0", currency_digits=False
        )
    )
