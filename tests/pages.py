"""Pages the whole-site guards open (tests/core/test_english_pages.py,
tests/core/test_stored_codes.py), and what a reader sees on one."""

from __future__ import annotations

from html.parser import HTMLParser

from django.conf import settings

from bpjs.models import ProposalBatch
from registry.models import DtksProposalStatus, Sktm
from tests.factories.bpjs import eligible_person, participant, submitted
from tests.factories.odgj import subject
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import dtks_proposal
from tests.performance.test_query_counts import PAGES

__all__ = [
    "PAGES",
    "RECORD_PAGES",
    "admin_lists",
    "record_pages",
    "visible",
    "with_one_of_each",
]

_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


def with_one_of_each(kelurahan, peksos) -> None:
    """One BPJS application, Puskesos case and ODGJ subject, for the list pages."""
    resident = eligible_person(kelurahan, name="Siti Warga")
    submitted(resident)
    puskesos_case(kelurahan=kelurahan, applicant_name="A", nik=resident.nik)
    subject(actor=peksos, kelurahan=kelurahan, alias="Subjek")
    dtks_proposal(kelurahan=kelurahan, to=DtksProposalStatus.VERIFIED)


class _VisibleText(HTMLParser):
    def __init__(self, skip_cells_of: str | None) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0
        self._skipped_class = f"field-{skip_cells_of}" if skip_cells_of else None
        self._in_skipped_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if tag in ("td", "th"):
            classes = (dict(attrs).get("class") or "").split()
            self._in_skipped_cell = self._skipped_class in classes
        self.texts.extend(v.strip() for k, v in attrs if k in _ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        if tag in ("td", "th"):
            self._in_skipped_cell = False

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._in_skipped_cell and data.strip():
            self.texts.append(" ".join(data.split()))


def visible(html: str, *, skip_cells_of: str | None = None) -> list[str]:
    """The texts a reader sees; `skip_cells_of` leaves out an admin list's column."""
    parser = _VisibleText(skip_cells_of)
    parser.feed(html)
    return parser.texts


def record_pages(kelurahan, peksos, operator, verifier):
    covered = participant(kelurahan, card="0009876543210")
    batch = ProposalBatch.objects.get()
    resident = eligible_person(kelurahan, name="Siti Warga")
    application = submitted(resident)
    case = puskesos_case(kelurahan=kelurahan, applicant_name="A", nik=resident.nik)
    reported = subject(actor=peksos, kelurahan=kelurahan, alias="Subjek")
    proposal = dtks_proposal(kelurahan=kelurahan, name="Calon DTKS")
    sktm = Sktm.objects.filter(person=resident).first()
    assert sktm is not None
    assert resident.household is not None
    family = resident.household.public_id
    return {
        "person": (operator, f"/registry/penduduk/{resident.public_id}/"),
        "person_edit": (operator, f"/registry/penduduk/{resident.public_id}/ubah/"),
        "household": (operator, f"/registry/keluarga/{family}/"),
        "household_edit": (operator, f"/registry/keluarga/{family}/ubah/"),
        "household_change_kk": (operator, f"/registry/keluarga/{family}/ganti-kk/"),
        "person_move": (operator, f"/registry/penduduk/{resident.public_id}/pindah/"),
        "person_add": (operator, f"/registry/keluarga/{family}/anggota/baru/"),
        "household_create": (operator, "/registry/keluarga/baru/"),
        "sktm": (operator, f"/registry/sktm/{sktm.public_id}/"),
        "sktm_request": (
            operator,
            f"/registry/penduduk/{resident.public_id}/sktm/baru/",
        ),
        "proposal": (operator, f"/registry/usulan-dtks/{proposal.public_id}/"),
        "proposal_create": (
            operator,
            f"/registry/keluarga/{proposal.household.public_id}/usulan-dtks/",
        ),
        "application": (operator, f"/bpjs/pengajuan/{application.public_id}/"),
        "application_create": (operator, f"/bpjs/ajukan/{resident.public_id}/"),
        "removal_create": (
            verifier,
            f"/bpjs/penghapusan/baru/{covered.person.public_id}/",
        ),
        "batch": (verifier, f"/bpjs/batch/{batch.public_id}/"),
        "intake": (operator, "/puskesos/penerimaan/"),
        "case": (operator, f"/puskesos/kasus/{case.public_id}/"),
        "subject": (peksos, f"/odgj/subjek/{reported.public_id}/"),
        "subject_link": (peksos, f"/odgj/subjek/{reported.public_id}/tautkan/"),
        "subject_create": (peksos, "/odgj/subjek/baru/"),
        "login": (None, "/masuk/"),
        "public_apply": (None, "/layanan/ajukan/"),
        "public_status": (None, "/layanan/status/"),
    }


RECORD_PAGES = [
    "person",
    "person_edit",
    "household",
    "household_edit",
    "household_change_kk",
    "person_move",
    "person_add",
    "household_create",
    "sktm",
    "sktm_request",
    "proposal",
    "proposal_create",
    "application",
    "application_create",
    "removal_create",
    "batch",
    "intake",
    "case",
    "subject",
    "subject_link",
    "subject_create",
    "login",
    "public_apply",
    "public_status",
]


def admin_lists() -> list[str]:
    from django.contrib import admin

    return sorted(
        f"{model._meta.app_label}/{model._meta.model_name}"
        for model in admin.site._registry
    )


def opened(client, user, url, *, method="get", kwargs=None, language=None):
    """The page as `user` (None: a citizen) sees it, in `language` (None: default)."""
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = getattr(client, method)(url, **(kwargs or {}))
    assert response.status_code == 200, url
    return response
