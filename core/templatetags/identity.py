from django import template

from core.identity import mask_number

register = template.Library()


@register.filter
def masked(value: str | None) -> str:
    """A NIK or KK number with only its last four digits shown."""
    return mask_number(value)
