"""The English catalogue: complete, compiled from its source, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _messages() -> list[Message]:
    with (CATALOGUE / "django.po").open("rb") as fh:
        return [message for message in read_po(fh) if message.id]


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_every_string_has_an_english_translation():
    untranslated = [
        message.id
        for message in _messages()
        if message.fuzzy or not all(_forms(message.string))
    ]

    assert untranslated == []


def test_every_translation_keeps_the_placeholders_of_its_string():
    broken = [
        message.id
        for message in _messages()
        for translation in _forms(message.string)
        if Counter(PLACEHOLDER.findall(_forms(message.id)[-1]))
        != Counter(PLACEHOLDER.findall(translation))
    ]

    assert broken == []


def test_the_committed_compiled_catalogue_is_the_one_its_source_gives():
    with (CATALOGUE / "django.po").open("rb") as fh:
        source = read_po(fh)
    compiled = io.BytesIO()
    write_mo(compiled, source)
    compiled.seek(0)
    with (CATALOGUE / "django.mo").open("rb") as fh:
        committed = gettext.GNUTranslations(fh)

    expected = gettext.GNUTranslations(compiled)

    # Both parsed: the header entry differs in wording between msgfmt and Babel.
    def entries(t: gettext.GNUTranslations) -> dict[object, str]:
        return {k: v for k, v in t._catalog.items() if k != ""}

    assert entries(committed) == entries(expected)


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Log in to the system"), ("id", "Masuk ke sistem")]
)
def test_the_login_page_speaks_the_chosen_language(client, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(reverse("login"))

    assert heading in response.content.decode()


@pytest.mark.django_db
def test_the_eligibility_answer_is_given_in_english(client, operator_a):
    from tests.factories.core import PASSWORD
    from tests.factories.registry import person

    resident = person(kelurahan=operator_a.kelurahan)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.login(username=operator_a.username, password=PASSWORD)

    response = client.get(reverse("registry:person_detail", args=[resident.public_id]))

    body = response.content.decode()
    assert "Gakin service entitlement" in body
    assert "Not registered in DTKS and holds no valid SKTM" in body


@pytest.mark.django_db
def test_a_refusal_from_a_service_is_given_in_the_user_language(
    supervisor, kelurahan_a
):
    from django.utils import translation

    from core.exceptions import ApplicationError
    from core.services import break_glass_open

    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        break_glass_open(actor=supervisor, obj=kelurahan_a, reason="short")

    assert str(refused.value.message).startswith(
        "Write the reason for emergency access"
    )


def _bare_messages(source: str) -> list[int]:
    """Lines where a refusal or a message for the user is a literal with words in it,
    which the catalogue never sees."""
    import ast

    raisers = {"ApplicationError", "ValidationError", "RowRejected"}
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = getattr(func, "id", None) or getattr(func, "attr", "")
        to_messages = (
            isinstance(func, ast.Attribute)
            and getattr(func.value, "id", "") == "messages"
        )
        args = node.args[1:] if to_messages else node.args
        if not (name in raisers or to_messages) or not args:
            continue
        text = args[0]
        if isinstance(text, ast.JoinedStr):
            words = "".join(
                part.value for part in text.values if isinstance(part, ast.Constant)
            )
        elif isinstance(text, ast.Constant) and isinstance(text.value, str):
            words = text.value
        else:
            continue
        if re.search(r"[A-Za-z]{2,}", words):
            lines.append(node.lineno)
    return lines


def _lines_found_in_the_apps(check: Callable[[str], list[int]]) -> dict[str, list[int]]:
    """`check` run on every module of the project (migrations aside)."""
    root = Path(settings.BASE_DIR)
    apps = ("config", "core", "registry", "bpjs", "odgj", "puskesos")
    return {
        str(path.relative_to(root)): lines
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and (lines := check(path.read_text()))
    }


def test_no_refusal_or_message_for_the_user_is_a_bare_literal():
    assert _lines_found_in_the_apps(_bare_messages) == {}


def test_the_bare_literal_check_finds_one():
    assert _bare_messages('raise ApplicationError("Nama wajib diisi.")') == [1]
    assert _bare_messages('messages.error(request, _("Nama wajib diisi."))') == []


_EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_translations_at_import(source: str) -> list[int]:
    """Lines where an eager gettext runs when the module is imported (module level or
    a class body): the text is frozen in the language of whichever request imported
    it first. Labels and choices there need gettext_lazy."""
    tree = ast.parse(source)
    eager_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in _EAGER
    }
    lines: list[int] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue  # runs later, in the language of its request
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in eager_names
            ):
                lines.append(child.lineno)
            visit(child)

    visit(tree)
    return sorted(lines)


def test_no_text_is_translated_once_at_import():
    assert _lines_found_in_the_apps(_eager_translations_at_import) == {}


def test_the_import_time_check_finds_one():
    module = """
from django.utils.translation import gettext as _
LABEL = _("Nama pemohon")
class Form:
    name = _("Nama")
    def clean(self):
        return _("Nama wajib diisi.")
"""

    assert _eager_translations_at_import(module) == [3, 5]
    assert (
        _eager_translations_at_import(module.replace("gettext", "gettext_lazy")) == []
    )


# Official documents: in Bahasa Indonesia whatever the screen's language
# (core.documents.in_official_language), so their text is not for the catalogue.
OFFICIAL_TEMPLATES = {
    "registry/sktm_letter.html",
    "puskesos/referral_letter.html",
    "puskesos/case_receipt.html",
    "puskesos/report_pdf.html",
}
# Domain words keep their Indonesian names in every language (and HTML entities).
DOMAIN_WORDS = re.compile(
    r"&\w+;|\b(NIK|KK|RT|RW|SKTM|DTKS|BPJS|Kesehatan|ODGJ|TMT|Rp|PDF|CSV|XLSX|JSON|"
    r"TRC|ID|KTP-el|NIP|SLA|Puskesos|Dinsos|Dukcapil|Kelurahan|Kecamatan|desil)\b"
)


def _untranslated_text(template: str) -> list[str]:
    text = re.sub(
        r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", template, flags=re.S
    )
    text = re.sub(
        r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", text, flags=re.S
    )
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", text)
    return [
        line.strip()
        for line in text.split("\n")
        if re.search(r"[A-Za-z]{2,}", DOMAIN_WORDS.sub(" ", line))
    ]


def test_every_visible_text_of_the_screens_goes_through_the_catalogue():
    root = Path(settings.BASE_DIR) / "templates"
    untranslated = {
        name: lines
        for path in root.rglob("*.html")
        if (name := str(path.relative_to(root))) not in OFFICIAL_TEMPLATES
        and (lines := _untranslated_text(path.read_text()))
    }

    assert untranslated == {}


def test_the_template_check_finds_text_outside_translate():
    assert _untranslated_text("<p>Simpan data</p>") == ["Simpan data"]
    assert _untranslated_text('<p>{% translate "Simpan data" %} · NIK</p>') == []
