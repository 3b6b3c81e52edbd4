from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.roles import BROWSER_ROLES

# Django's prompt for "nothing chosen yet".
_DJANGO_BLANK = "---------"


class PromptedChoices:
    """Selects say "— pilih —" where Django writes "---------"."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prompt = _("— pilih —")
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == _DJANGO_BLANK:
                    field.empty_label = prompt
            elif isinstance(field, forms.ChoiceField):
                # Normalised by Django into (value, label) pairs.
                choices = cast(Iterable[tuple[Any, Any]], field.choices)
                field.choices = [
                    (value, prompt if value == "" and label == _DJANGO_BLANK else label)
                    for value, label in choices
                ]


class Form(PromptedChoices, forms.Form):
    pass


class ModelForm(PromptedChoices, forms.ModelForm):
    pass


class ListSearchForm(Form):
    """One box above a staff list. Sent by POST: a NIK or a name must not end up in
    an address or a server log."""

    q = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = label


SEARCH_LIMIT = 50


def list_search(
    request: HttpRequest,
    *,
    label: str,
    matches: Callable[[str], QuerySet[Any]],
    rows: str,
) -> tuple[ListSearchForm, dict[str, Any] | None]:
    """The list's search box and, when one was sent, the page's context: the newest
    matches under the list's own name (`rows`) and what `_list_search.html` says."""
    form = ListSearchForm(request.POST or None, label=label)
    if request.method != "POST" or not form.is_valid():
        return form, None
    found = list(matches(form.cleaned_data["q"])[: SEARCH_LIMIT + 1])
    return form, {
        "search": form,
        "searching": True,
        rows: found[:SEARCH_LIMIT],
        "more_found": len(found) > SEARCH_LIMIT,
        "search_limit": SEARCH_LIMIT,
    }


class StaffAuthenticationForm(AuthenticationForm):
    """Browser login; the Dukcapil liaison account works through the API only."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "api_only": _("Akun ini hanya untuk akses API, bukan untuk login di browser."),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if getattr(user, "role", None) not in BROWSER_ROLES:
            raise ValidationError(self.error_messages["api_only"], code="api_only")


class DigitsInput(forms.TextInput):
    """NIK, KK and phone numbers: a phone shows its number pad, and the value stays
    text (leading zeros; dots and spaces as people type them are cleaned later)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {"inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        )


class DateInput(forms.DateInput):
    """Day/month/year text input: the browser's own date picker follows the browser
    locale (often US), so we keep one unambiguous format."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": "hh/bb/tttt",
            "inputmode": "numeric",
            "autocomplete": "off",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def uuid_or_none(value: str) -> uuid.UUID | None:
    """A public id posted by a page (a hidden input, a radio), or None if it is not
    one: a tampered value finds nothing instead of failing the query."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
