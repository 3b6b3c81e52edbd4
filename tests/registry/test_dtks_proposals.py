"""Usulan DTKS: a household not in DTKS proposed through muskel, verivali and the
centre, and closed by a later DTKS import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, InvalidTransitionError
from core.roles import Role
from registry.models import (
    DtksImportBatch,
    DtksProposal,
    DtksProposalStatus,
    VerivaliResult,
)
from registry.services.proposals import (
    dtks_proposal_cancel,
    dtks_proposal_conclude,
    dtks_proposal_record_muskel,
    dtks_proposal_record_verivali,
    dtks_proposal_register,
    dtks_proposals_submit,
)
from tests.concurrency import at_once
from tests.factories.core import StaffFactory
from tests.factories.registry import in_dtks, person

pytestmark = pytest.mark.django_db

PERIOD = dt.date(2026, 12, 1)


@pytest.fixture
def resident(kelurahan_a, operator_a):
    return person(kelurahan=kelurahan_a, actor=operator_a, name="Rahmat Hidayat")


def _register(operator, resident, reason="Buruh harian, empat anak sekolah"):
    return dtks_proposal_register(
        actor=operator, household=resident.household, reason=reason
    )


def _agreed(proposal, koordinator):
    return dtks_proposal_record_muskel(
        actor=koordinator,
        proposal=proposal,
        agreed=True,
        muskel_date=dt.date(2026, 11, 20),
        muskel_reference="BA/12/MUSKEL/2026",
    )


def _verified(proposal, verifikator):
    return dtks_proposal_record_verivali(
        actor=verifikator,
        proposal=proposal,
        visited_on=dt.date(2026, 11, 25),
        result=VerivaliResult.DONE,
    )


def _sent(resident, operator, koordinator, verifikator):
    proposal = _verified(
        _agreed(_register(operator, resident), koordinator), verifikator
    )
    dtks_proposals_submit(actor=verifikator, proposals=[proposal], period=PERIOD)
    proposal.refresh_from_db()
    return proposal


def test_the_whole_way_in_is_recorded_step_by_step(
    resident, operator_a, koordinator_a, verifikator, supervisor
):
    proposal = _sent(resident, operator_a, koordinator_a, verifikator)

    in_dtks(resident, supervisor=supervisor, period=dt.date(2027, 3, 1))

    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.INCLUDED
    assert proposal.submitted_period == PERIOD
    steps = list(proposal.transitions.values_list("to_state", "actor_id"))
    assert steps == [
        (DtksProposalStatus.REGISTERED, operator_a.pk),
        (DtksProposalStatus.AGREED, koordinator_a.pk),
        (DtksProposalStatus.VERIFIED, verifikator.pk),
        (DtksProposalStatus.SUBMITTED, verifikator.pk),
        (DtksProposalStatus.INCLUDED, supervisor.pk),
    ]
    assert (
        proposal.transitions.last().note == "Tercantum dalam data DTKS periode 03-2027."
    )


def test_an_import_closes_an_open_proposal_at_any_step(
    resident, operator_a, supervisor
):
    proposal = _register(operator_a, resident)

    in_dtks(resident, supervisor=supervisor)

    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.INCLUDED


def test_the_import_page_tells_how_many_proposals_it_closed(
    client, resident, operator_a, supervisor
):
    _register(operator_a, resident)
    in_dtks(resident, supervisor=supervisor)
    batch = DtksImportBatch.objects.get()
    client.force_login(supervisor)

    page = client.get(reverse("registry:dtks_batch", args=[batch.public_id]))

    assert batch.count_proposals_included == 1
    assert "1 usulan DTKS kelurahan tercatat masuk" in page.content.decode()


def test_an_import_leaves_other_households_proposals_alone(
    kelurahan_a, resident, operator_a, supervisor
):
    proposal = _register(operator_a, resident)
    neighbour = person(kelurahan=kelurahan_a, actor=operator_a, name="Tetangga")

    in_dtks(neighbour, supervisor=supervisor)

    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.REGISTERED


def test_a_household_already_in_dtks_cannot_be_proposed(resident, operator_a):
    in_dtks(resident)

    with pytest.raises(ApplicationError, match="sudah terdaftar aktif di DTKS"):
        _register(operator_a, resident)


def test_a_second_proposal_while_one_is_open_is_refused_and_points_to_it(
    resident, operator_a
):
    first = _register(operator_a, resident)

    with pytest.raises(ApplicationError) as refused:
        _register(operator_a, resident)

    assert refused.value.code == "duplicate"
    assert refused.value.extra == {"proposal_public_id": str(first.public_id)}
    assert DtksProposal.objects.count() == 1


def test_a_household_may_be_proposed_again_after_a_rejection(
    resident, operator_a, koordinator_a
):
    first = _register(operator_a, resident)
    dtks_proposal_record_muskel(
        actor=koordinator_a,
        proposal=first,
        agreed=False,
        muskel_date=dt.date(2026, 11, 20),
        muskel_reference="BA/12",
        note="Sudah mampu: suami bekerja tetap",
    )

    again = _register(operator_a, resident, reason="Suami kena PHK")

    assert again.status == DtksProposalStatus.REGISTERED


def test_a_proposal_needs_a_reason(resident, operator_a):
    with pytest.raises(ApplicationError, match="Alasan usulan wajib diisi"):
        _register(operator_a, resident, reason="  ")


def test_an_operator_cannot_propose_another_kelurahans_household(
    kelurahan_b, operator_a
):
    elsewhere = person(kelurahan=kelurahan_b)

    with pytest.raises(ApplicationError, match="bukan warga kelurahan Anda"):
        _register(operator_a, elsewhere)


def test_muskel_rejection_needs_a_reason_and_ends_the_proposal(
    resident, operator_a, koordinator_a
):
    proposal = _register(operator_a, resident)
    with pytest.raises(ApplicationError, match="Alasan penolakan wajib diisi"):
        dtks_proposal_record_muskel(
            actor=koordinator_a,
            proposal=proposal,
            agreed=False,
            muskel_date=dt.date(2026, 11, 20),
            muskel_reference="BA/12",
        )

    rejected = dtks_proposal_record_muskel(
        actor=koordinator_a,
        proposal=proposal,
        agreed=False,
        muskel_date=dt.date(2026, 11, 20),
        muskel_reference="BA/12",
        note="Memiliki mobil",
    )

    assert rejected.status == DtksProposalStatus.REJECTED
    assert rejected.decision_note == "Memiliki mobil"
    assert rejected.muskel_reference == "BA/12"


def test_only_the_koordinator_records_the_muskel(resident, operator_a):
    proposal = _register(operator_a, resident)

    with pytest.raises(ApplicationError):
        _agreed(proposal, operator_a)


def test_verivali_before_the_muskel_is_refused(resident, operator_a, verifikator):
    proposal = _register(operator_a, resident)

    with pytest.raises(InvalidTransitionError):
        _verified(proposal, verifikator)


def test_a_household_not_found_at_the_visit_ends_with_that_reason(
    resident, operator_a, koordinator_a, verifikator
):
    proposal = _agreed(_register(operator_a, resident), koordinator_a)

    ended = dtks_proposal_record_verivali(
        actor=verifikator,
        proposal=proposal,
        visited_on=dt.date(2026, 11, 25),
        result=VerivaliResult.NOT_FOUND,
    )

    assert ended.status == DtksProposalStatus.REJECTED
    assert ended.verivali_result == VerivaliResult.NOT_FOUND
    assert ended.decision_note == "Rumah tangga tidak ditemukan"


def test_sending_twice_marks_each_proposal_once(
    resident, operator_a, koordinator_a, verifikator
):
    proposal = _verified(
        _agreed(_register(operator_a, resident), koordinator_a), verifikator
    )

    first = dtks_proposals_submit(
        actor=verifikator, proposals=[proposal], period=dt.date(2026, 12, 15)
    )
    second = dtks_proposals_submit(
        actor=verifikator, proposals=[proposal], period=dt.date(2027, 1, 15)
    )

    proposal.refresh_from_db()
    assert (first, second) == (1, 0)
    assert proposal.submitted_period == dt.date(2026, 12, 1)
    assert (
        proposal.transitions.filter(to_state=DtksProposalStatus.SUBMITTED).count() == 1
    )


def test_not_included_is_recorded_with_its_reason(
    resident, operator_a, koordinator_a, verifikator, supervisor
):
    proposal = _sent(resident, operator_a, koordinator_a, verifikator)
    with pytest.raises(ApplicationError, match="Keterangan wajib diisi"):
        dtks_proposal_conclude(actor=supervisor, proposal=proposal, included=False)

    concluded = dtks_proposal_conclude(
        actor=supervisor,
        proposal=proposal,
        included=False,
        note="Tidak tercantum pada DTSEN triwulan I 2027",
    )

    assert concluded.status == DtksProposalStatus.NOT_INCLUDED


def test_an_outcome_is_only_recorded_for_a_proposal_sent_in(
    resident, operator_a, supervisor
):
    proposal = _register(operator_a, resident)

    with pytest.raises(ApplicationError, match="sudah dikirim"):
        dtks_proposal_conclude(actor=supervisor, proposal=proposal, included=True)


def test_cancelling_needs_a_reason_and_frees_the_household(resident, operator_a):
    proposal = _register(operator_a, resident)

    cancelled = dtks_proposal_cancel(
        actor=operator_a, proposal=proposal, reason="Keluarga pindah ke Samarinda"
    )

    assert cancelled.status == DtksProposalStatus.CANCELLED
    assert _register(operator_a, resident).status == DtksProposalStatus.REGISTERED


# Pages


def test_an_operator_proposes_from_the_household_page(client, resident, operator_a):
    client.force_login(operator_a)
    page = client.get(
        reverse("registry:household_detail", args=[resident.household.public_id])
    )
    create = reverse("registry:proposal_create", args=[resident.household.public_id])
    assert create in page.content.decode()

    response = client.post(create, {"reason": "Ibu tunggal, tiga anak"}, follow=True)

    proposal = DtksProposal.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "registry:proposal_detail", args=[proposal.public_id]
    )
    assert "Didaftarkan di kelurahan" in response.content.decode()


def test_the_household_page_offers_no_proposal_while_one_is_open(
    client, resident, operator_a
):
    _register(operator_a, resident)
    client.force_login(operator_a)

    page = client.get(
        reverse("registry:household_detail", args=[resident.household.public_id])
    )

    create = reverse("registry:proposal_create", args=[resident.household.public_id])
    assert create not in page.content.decode()


def test_the_koordinator_records_the_muskel_on_the_proposal_page(
    client, resident, operator_a, koordinator_a
):
    proposal = _register(operator_a, resident)
    client.force_login(koordinator_a)

    client.post(
        reverse("registry:proposal_action", args=[proposal.public_id, "muskel"]),
        {
            "agreed": "1",
            "muskel_date": "20/11/2026",
            "muskel_reference": "BA/12/2026",
        },
    )

    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.AGREED
    assert proposal.muskel_date == dt.date(2026, 11, 20)


def test_an_incomplete_action_form_says_what_is_missing(
    client, resident, operator_a, koordinator_a
):
    proposal = _register(operator_a, resident)
    client.force_login(koordinator_a)

    response = client.post(
        reverse("registry:proposal_action", args=[proposal.public_id, "muskel"]),
        {"agreed": "1"},
        follow=True,
    )

    assert "Tanggal musyawarah kelurahan" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.REGISTERED


def test_another_kelurahans_proposal_is_not_found(
    client, kelurahan_b, operator_a, operator_b
):
    elsewhere = person(kelurahan=kelurahan_b, actor=operator_b)
    proposal = _register(operator_b, elsewhere)
    client.force_login(operator_a)

    response = client.get(
        reverse("registry:proposal_detail", args=[proposal.public_id])
    )

    assert response.status_code == 404


def test_the_verifier_downloads_the_ready_file_and_marks_it_sent(
    client, resident, operator_a, koordinator_a, verifikator
):
    proposal = _verified(
        _agreed(_register(operator_a, resident), koordinator_a), verifikator
    )
    client.force_login(verifikator)

    listing = client.get(reverse("registry:proposal_list")).content.decode()
    exported = client.get(reverse("registry:proposal_export"))
    client.post(
        reverse("registry:proposal_submit"),
        {"period": "01/12/2026", "proposal": [str(proposal.public_id), "bukan-uuid"]},
    )

    assert str(proposal.public_id) in listing
    lines = exported.content.decode().splitlines()
    assert lines[0].startswith("kode_kelurahan;kelurahan;alamat")
    assert any(resident.nik in line and "BA/12/MUSKEL/2026" in line for line in lines)
    proposal.refresh_from_db()
    assert proposal.status == DtksProposalStatus.SUBMITTED


def test_an_operator_cannot_download_the_file(client, operator_a):
    client.force_login(operator_a)

    response = client.get(reverse("registry:proposal_export"))

    assert response.status_code == 403


def test_the_list_shows_what_waits_on_the_koordinator(
    client, resident, operator_a, koordinator_a
):
    _register(operator_a, resident)
    client.force_login(koordinator_a)

    response = client.get(reverse("registry:proposal_list"), {"menunggu": "1"})

    assert response.context["waiting_count"] == 1
    assert len(response.context["proposals"]) == 1


def test_a_verifier_sees_proposals_of_every_kelurahan_but_cannot_propose(
    client, resident, operator_a
):
    _register(operator_a, resident)
    verifier = StaffFactory(role=Role.VERIFIKATOR_DINSOS)
    client.force_login(verifier)

    listing = client.get(reverse("registry:proposal_list"))
    create = client.get(
        reverse("registry:proposal_create", args=[resident.household.public_id])
    )

    assert len(listing.context["proposals"]) == 1
    assert create.status_code == 403


def test_the_person_page_tells_how_far_the_households_proposal_got(
    client, resident, operator_a
):
    proposal = _register(operator_a, resident)
    client.force_login(operator_a)

    page = client.get(reverse("registry:person_detail", args=[resident.public_id]))

    body = page.content.decode()
    assert reverse("registry:proposal_detail", args=[proposal.public_id]) in body
    assert "Didaftarkan di kelurahan" in body


@pytest.mark.django_db(transaction=True)
def test_two_counters_proposing_one_household_at_once_make_one_proposal(kelurahan_a):
    operators = [
        StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan_a)
        for _ in range(4)
    ]
    resident = person(kelurahan=kelurahan_a, actor=operators[0])
    refused: list[str] = []

    def propose(operator) -> None:
        try:
            _register(operator, resident)
        except ApplicationError as exc:
            refused.append(exc.code)

    at_once(propose, operators)

    assert DtksProposal.objects.count() == 1
    assert refused == ["duplicate"] * 3


@pytest.mark.parametrize("typed", ["name", "nik", "kk"])
def test_a_proposal_is_found_by_a_members_name_or_nik_or_its_kk(
    client, resident, operator_a, typed
):
    proposal = _register(operator_a, resident)
    _register(operator_a, person(kelurahan=resident.kelurahan, name="Orang Lain"))
    query = {
        "name": "rahmat hid",
        "nik": resident.nik,
        "kk": resident.household.kk_number,
    }[typed]
    client.force_login(operator_a)

    response = client.post(reverse("registry:proposal_list"), {"q": query})

    assert [p.pk for p in response.context["proposals"]] == [proposal.pk]


def test_a_search_never_finds_another_kelurahans_proposal(
    client, kelurahan_b, operator_a, operator_b
):
    elsewhere = person(kelurahan=kelurahan_b, actor=operator_b, name="Rahmat Jauh")
    _register(operator_b, elsewhere)
    client.force_login(operator_a)

    response = client.post(reverse("registry:proposal_list"), {"q": elsewhere.nik})

    assert list(response.context["proposals"]) == []


def test_the_household_page_offers_no_proposal_when_a_member_is_in_dtks(
    client, resident, operator_a
):
    in_dtks(resident)
    client.force_login(operator_a)

    page = client.get(
        reverse("registry:household_detail", args=[resident.household.public_id])
    )

    create = reverse("registry:proposal_create", args=[resident.household.public_id])
    assert create not in page.content.decode()
