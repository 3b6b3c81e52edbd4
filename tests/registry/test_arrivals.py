"""Pindah datang: residents registered in another kelurahan of the city arrive, and
the receiving counter moves their records instead of registering them again."""

from __future__ import annotations

import datetime as dt

import pghistory.models
import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from core.jobs import run_job
from core.models import AccessLog, Kelurahan
from registry.models import (
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    Person,
    PopulationChange,
    Relationship,
)
from registry.selectors import reported_arrivals_count, reported_arrivals_for
from registry.services.arrivals import household_move_in, person_move_in
from registry.services.households import (
    person_move,
    person_update,
    population_changes_record,
)
from tests.factories.registry import (
    dtks_proposal,
    household,
    make_kk,
    make_nik,
    person,
    reported_move_in,
)

pytestmark = pytest.mark.django_db

URL = reverse("registry:arrival")


@pytest.fixture
def family(kelurahan_a):
    """A household of two in kelurahan A."""
    home = household(kelurahan=kelurahan_a, rt="003", rw="001")
    head = person(in_household=home, name="Bapak Rahman", sex="L")
    person(
        in_household=home,
        name="Ibu Rahma",
        relationship=Relationship.WIFE,
        birth=dt.date(1987, 3, 12),
    )
    return head


def _family_move(operator, family, **overrides):
    home = family.household
    return household_move_in(
        actor=operator,
        household=home,
        version=overrides.pop("version", home.version),
        kelurahan=overrides.pop("kelurahan", operator.kelurahan),
        kk_number=overrides.pop("kk_number", None),
        rt="007",
        rw="004",
        address="Jl. Baru No. 7",
        moved_on=dt.date(2026, 11, 30),
    )


def test_a_whole_family_moves_with_its_members_to_the_new_kelurahan(
    family, operator_b, kelurahan_b
):
    moved = _family_move(operator_b, family)

    assert moved.pk == family.household_id
    assert (moved.kelurahan, moved.rt, moved.rw) == (kelurahan_b, "007", "004")
    assert set(
        Person.objects.filter(household=moved).values_list("kelurahan", flat=True)
    ) == {kelurahan_b.pk}


def test_after_the_move_the_new_kelurahan_sees_the_family_and_the_old_one_does_not(
    family, operator_a, operator_b
):
    _family_move(operator_b, family)

    assert Person.objects.for_actor(operator_b).filter(pk=family.pk).exists()
    assert not Person.objects.for_actor(operator_a).filter(pk=family.pk).exists()


def test_a_new_kk_number_on_moving_closes_the_old_one_in_the_timeline(
    family, operator_b
):
    old_kk = family.household.kk_number
    new_kk = make_kk()

    moved = _family_move(operator_b, family, kk_number=new_kk)

    timeline = list(
        moved.kk_history.order_by("id").values_list("kk_number", "valid_to", "reason")
    )
    assert timeline == [
        (old_kk, dt.date(2026, 11, 30), HouseholdKkNumber.Reason.FIRST),
        (new_kk, None, HouseholdKkNumber.Reason.MOVE),
    ]


def test_without_a_new_kk_number_the_family_keeps_its_kk(family, operator_b):
    old_kk = family.household.kk_number

    moved = _family_move(operator_b, family)

    assert moved.kk_number == old_kk
    assert moved.kk_history.count() == 1


def test_an_edit_opened_before_the_move_is_refused_as_stale(
    family, operator_b, admin_user
):
    version_seen_before = family.version

    _family_move(operator_b, family)

    with pytest.raises(ApplicationError, match="sudah diubah oleh petugas lain"):
        person_update(
            actor=admin_user, person=family, version=version_seen_before, phone="0812"
        )


def test_an_open_dtks_proposal_follows_the_family(kelurahan_a, operator_b):
    proposal = dtks_proposal(kelurahan=kelurahan_a)
    head = proposal.household.members.get()

    _family_move(operator_b, head)

    proposal.refresh_from_db()
    assert proposal.kelurahan == operator_b.kelurahan


def test_the_move_is_in_the_change_history_with_the_receiving_operator(
    family, operator_b
):
    _family_move(operator_b, family)

    events = pghistory.models.Events.objects.filter(
        pgh_model="registry.PersonEvent", pgh_obj_id=str(family.pk)
    ).order_by("-pgh_id")
    assert events[0].pgh_data["kelurahan_id"] == operator_b.kelurahan_id
    assert events[0].pgh_context["user"] == operator_b.pk


def test_an_operator_cannot_move_a_family_into_another_kelurahan(
    family, operator_b, kelurahan_a
):
    from core.models import Kelurahan

    elsewhere = Kelurahan.objects.exclude(
        pk__in=[kelurahan_a.pk, operator_b.kelurahan_id]
    ).first()

    with pytest.raises(ApplicationError, match="kelurahan Anda sendiri"):
        _family_move(operator_b, family, kelurahan=elsewhere)


def test_a_family_already_here_is_not_moved_again(family, operator_a):
    with pytest.raises(ApplicationError, match="sudah tercatat di kelurahan ini"):
        _family_move(operator_a, family)


def test_a_stale_version_moves_nothing(family, operator_b, kelurahan_a):
    with pytest.raises(ApplicationError, match="sudah diubah oleh petugas lain"):
        _family_move(operator_b, family, version=family.household.version - 1)

    family.refresh_from_db()
    assert family.kelurahan == kelurahan_a


def test_a_new_kk_number_already_held_by_another_family_is_refused(
    family, operator_b, kelurahan_b
):
    taken = household(kelurahan=kelurahan_b).kk_number

    with pytest.raises(ApplicationError, match="sudah terdaftar"):
        _family_move(operator_b, family, kk_number=taken)


def test_one_resident_joins_a_family_of_the_new_kelurahan(
    family, operator_b, kelurahan_b
):
    there = household(kelurahan=kelurahan_b)
    wife = family.household.members.get(relationship=Relationship.WIFE)

    joined = person_move_in(
        actor=operator_b,
        person=wife,
        version=wife.version,
        kelurahan=kelurahan_b,
        join_kk_number=there.kk_number,
        relationship=Relationship.OTHER_RELATIVE,
        moved_on=dt.date(2026, 11, 30),
    )

    wife.refresh_from_db()
    assert joined == there
    assert (wife.household, wife.kelurahan) == (there, kelurahan_b)
    assert list(
        wife.memberships.order_by("id").values_list("leave_reason", "join_reason")
    ) == [
        (HouseholdMembership.Reason.MOVE_OUT, HouseholdMembership.Reason.FIRST),
        ("", HouseholdMembership.Reason.MOVE_IN),
    ]
    assert family.household.members.count() == 1


def test_one_resident_heads_a_new_family_in_the_new_kelurahan(
    family, operator_b, kelurahan_b
):
    wife = family.household.members.get(relationship=Relationship.WIFE)

    new_home = person_move_in(
        actor=operator_b,
        person=wife,
        version=wife.version,
        kelurahan=kelurahan_b,
        new_kk_number=None,
        address="Jl. Baru No. 7",
    )

    wife.refresh_from_db()
    assert (new_home.kelurahan, new_home.kk_number) == (kelurahan_b, None)
    assert (wife.household, wife.relationship) == (new_home, Relationship.HEAD)


def test_joining_needs_a_family_registered_in_the_new_kelurahan(
    family, operator_b, kelurahan_a, kelurahan_b
):
    over_there = household(kelurahan=kelurahan_a)

    with pytest.raises(ApplicationError, match="kelurahan tujuan"):
        person_move_in(
            actor=operator_b,
            person=family,
            version=family.version,
            kelurahan=kelurahan_b,
            join_kk_number=over_there.kk_number,
        )


# The counter's pages


def _lookup(client, family, **data):
    return client.post(
        URL,
        {"nik": family.nik, "origin_kk": family.household.kk_number, **data},
    )


def _save(client, family, **data):
    """The confirmation sent back, with the versions the page carried."""
    return _lookup(
        client,
        family,
        person_version=family.version,
        household_version=family.household.version,
        **data,
    )


def test_both_numbers_of_the_letter_show_the_family_to_the_receiving_counter(
    client, family, operator_b
):
    client.force_login(operator_b)

    page = _lookup(client, family)

    assert page.templates[0].name == "registry/arrival_confirm.html"
    assert "Bapak Rahman" in page.content.decode()
    assert "Ibu Rahma" in page.content.decode()


def test_the_receiving_counter_reading_another_kelurahans_family_is_logged(
    client, family, operator_b
):
    client.force_login(operator_b)

    _lookup(client, family)

    logged = AccessLog.objects.filter(actor=operator_b)
    assert {(log.object_pk, log.purpose[:13]) for log in logged} == {
        (str(family.household_id), "pindah datang"),
        (str(family.pk), "pindah datang"),
    }


def test_a_nik_with_another_familys_kk_shows_nothing(
    client, family, operator_b, kelurahan_a
):
    client.force_login(operator_b)
    other_kk = household(kelurahan=kelurahan_a).kk_number

    page = _lookup(client, family, origin_kk=other_kk)

    assert page.templates[0].name == "registry/arrival_lookup.html"
    assert "Bapak Rahman" not in page.content.decode()
    assert "Tidak ada penduduk dengan NIK dan nomor KK asal ini" in (
        page.content.decode()
    )
    assert not AccessLog.objects.exists()


def test_a_resident_already_in_the_counters_kelurahan_is_not_offered(
    client, family, operator_a
):
    client.force_login(operator_a)

    page = _lookup(client, family)

    assert "sudah tercatat di kelurahan Anda" in page.content.decode()


def test_saving_a_whole_family_move_opens_its_page_in_the_new_kelurahan(
    client, family, operator_b, kelurahan_b
):
    client.force_login(operator_b)
    home = family.household

    saved = _lookup(
        client,
        family,
        scope="keluarga",
        kk_number="",
        rt="007",
        rw="004",
        address="Jl. Baru No. 7",
        person_version=family.version,
        household_version=home.version,
    )

    assert saved.status_code == 302
    assert saved.url == reverse("registry:household_detail", args=[home.public_id])
    home.refresh_from_db()
    assert home.kelurahan == kelurahan_b
    assert client.get(saved.url).status_code == 200


def test_a_family_move_without_the_new_address_is_asked_for_it(
    client, family, operator_b, kelurahan_a
):
    client.force_login(operator_b)

    page = _save(
        client,
        family,
        scope="keluarga",
        address="",
    )

    assert "Isi alamat baru" in page.content.decode()
    family.refresh_from_db()
    assert family.kelurahan == kelurahan_a


def test_joining_a_family_the_counter_cannot_find_says_so_and_moves_nothing(
    client, family, operator_b, kelurahan_a
):
    client.force_login(operator_b)

    page = _save(
        client,
        family,
        scope="gabung",
        kk_number=make_kk(),
        relationship=Relationship.OTHER_RELATIVE,
    )

    assert "Tidak ada keluarga dengan nomor KK ini" in page.content.decode()
    family.refresh_from_db()
    assert family.kelurahan == kelurahan_a


def test_the_numbers_stay_out_of_the_address(client, family, operator_b):
    client.force_login(operator_b)

    saved = _save(
        client,
        family,
        scope="baru",
        address="Jl. Baru No. 7",
    )

    assert family.nik not in saved.url
    assert Household.objects.get(public_id=saved.url.split("/")[-2]).kk_number is None


def test_the_verifier_may_not_record_arrivals(client, verifikator):
    client.force_login(verifikator)

    assert client.get(URL).status_code == 403


def test_a_city_wide_admin_chooses_the_kelurahan_the_family_moves_to(
    client, family, admin_user, kelurahan_b
):
    client.force_login(admin_user)

    saved = _save(
        client,
        family,
        scope="keluarga",
        kelurahan=kelurahan_b.pk,
        address="Jl. Baru No. 7",
    )

    assert saved.status_code == 302
    family.refresh_from_db()
    assert family.kelurahan == kelurahan_b


def test_a_city_wide_admin_must_say_where_the_family_moves(
    client, family, admin_user, kelurahan_a
):
    client.force_login(admin_user)

    page = _save(
        client,
        family,
        scope="keluarga",
        address="Jl. Baru No. 7",
    )

    assert page.status_code == 200
    assert page.context["form"].errors["kelurahan"]
    family.refresh_from_db()
    assert family.kelurahan == kelurahan_a


# Moves Dukcapil reports into a kelurahan wait for its counter


def test_a_move_dukcapil_reports_into_another_kelurahan_waits_for_its_counter(
    family, kelurahan_b
):
    population_changes_record(
        changes=[
            {
                "kind": PopulationChange.Kind.MOVE_IN,
                "nik": family.nik,
                "event_date": dt.date(2026, 11, 20),
                "region_code": kelurahan_b.code.replace(".", ""),
            }
        ]
    )
    run_job(name="population_changes_apply")
    change = PopulationChange.objects.get(nik=family.nik)

    assert change.destination == kelurahan_b
    assert change.status == PopulationChange.Status.WAITING_FOR_COUNTER
    assert change.applied_at is None


def test_a_reported_move_into_the_kelurahan_already_registered_needs_nothing(
    family, kelurahan_a
):
    change = reported_move_in(family, to=kelurahan_a)

    assert change.status == PopulationChange.Status.APPLIED


def test_a_reported_move_to_somewhere_outside_the_city_names_no_kelurahan(family):
    change = reported_move_in(family, to=Kelurahan(code="64.72.01.1001"))

    assert change.destination is None
    assert change.status == PopulationChange.Status.APPLIED


def test_the_receiving_counter_lists_the_reported_moves_and_the_home_counts_them(
    client, family, kelurahan_b, operator_a, operator_b
):
    reported_move_in(family, to=kelurahan_b)
    client.force_login(operator_b)

    page = client.get(URL)
    home = client.get("/")

    assert [a.person for a in page.context["reported"]] == [family]
    assert "1 dilaporkan Dukcapil" in home.content.decode()
    assert AccessLog.objects.filter(actor=operator_b, object_pk=str(family.pk))
    client.force_login(operator_a)
    assert client.get(URL).context["reported"] == []


def test_a_reported_move_opens_the_confirmation_without_the_letters_numbers(
    client, family, kelurahan_b, operator_b
):
    change = reported_move_in(family, to=kelurahan_b)
    client.force_login(operator_b)

    page = client.post(URL, {"reported": change.pk})

    assert page.templates[0].name == "registry/arrival_confirm.html"
    assert page.context["form"].initial["moved_on"] == dt.date(2026, 11, 20)


def test_another_kelurahans_report_cannot_be_opened(
    client, family, kelurahan_b, operator_a
):
    change = reported_move_in(family, to=kelurahan_b)
    client.force_login(operator_a)

    page = client.post(URL, {"reported": change.pk}, follow=True)

    assert page.templates[0].name == "registry/arrival_lookup.html"
    assert "sudah tidak menunggu" in page.content.decode()


def test_recording_the_move_settles_dukcapils_report(family, kelurahan_b, operator_b):
    change = reported_move_in(family, to=kelurahan_b)

    _family_move(operator_b, family)

    change.refresh_from_db()
    assert change.status == PopulationChange.Status.APPLIED
    assert change.applied_at is not None


def test_a_newcomer_from_outside_the_city_waits_for_the_counter_to_register(
    client, kelurahan_b, operator_b
):
    newcomer = Person(nik=make_nik())
    change = reported_move_in(newcomer, to=kelurahan_b)
    client.force_login(operator_b)

    page = client.get(URL)

    assert change.status == PopulationChange.Status.WAITING_FOR_COUNTER
    assert [a.person for a in page.context["reported"]] == [None]
    assert newcomer.nik[-4:] in page.content.decode()
    assert newcomer.nik not in page.content.decode()


def test_registering_the_newcomer_there_settles_the_report(kelurahan_b):
    nik = make_nik()
    change = reported_move_in(Person(nik=nik), to=kelurahan_b)

    person(kelurahan=kelurahan_b, nik=nik)

    change.refresh_from_db()
    assert change.status == PopulationChange.Status.APPLIED


def test_registering_the_newcomer_elsewhere_leaves_the_report_to_its_kelurahan(
    kelurahan_a, kelurahan_b, operator_b
):
    nik = make_nik()
    change = reported_move_in(Person(nik=nik), to=kelurahan_b)

    registered = person(kelurahan=kelurahan_a, nik=nik)

    change.refresh_from_db()
    assert change.status == PopulationChange.Status.WAITING_FOR_COUNTER
    assert [a.person for a in reported_arrivals_for(operator_b)] == [registered]


def test_an_edit_at_the_old_kelurahan_leaves_the_report_waiting(
    family, kelurahan_b, operator_a
):
    change = reported_move_in(family, to=kelurahan_b)

    person_update(
        actor=operator_a, person=family, version=family.version, phone="0812345678"
    )

    change.refresh_from_db()
    assert change.status == PopulationChange.Status.WAITING_FOR_COUNTER


def test_the_counter_closes_a_report_of_someone_not_living_there_with_its_reason(
    client, family, kelurahan_b, operator_b
):
    change = reported_move_in(family, to=kelurahan_b)
    client.force_login(operator_b)

    client.post(URL, {"dismiss": change.pk, "note": "Tidak dikenal ketua RT 07"})

    change.refresh_from_db()
    assert change.status == PopulationChange.Status.NOT_FOUND
    assert (change.handled_by, change.handled_note) == (
        operator_b,
        "Tidak dikenal ketua RT 07",
    )
    assert client.get(URL).context["reported"] == []


def test_a_report_is_not_closed_without_a_reason(
    client, family, kelurahan_b, operator_b
):
    change = reported_move_in(family, to=kelurahan_b)
    client.force_login(operator_b)

    page = client.post(URL, {"dismiss": change.pk, "note": " "}, follow=True)

    assert "Tuliskan alasannya" in page.content.decode()
    change.refresh_from_db()
    assert change.status == PopulationChange.Status.WAITING_FOR_COUNTER


def test_another_kelurahan_cannot_close_a_report(
    client, family, kelurahan_b, operator_a
):
    change = reported_move_in(family, to=kelurahan_b)
    client.force_login(operator_a)

    client.post(URL, {"dismiss": change.pk, "note": "bukan di sini"})

    change.refresh_from_db()
    assert change.status == PopulationChange.Status.WAITING_FOR_COUNTER


def test_the_counter_is_told_when_the_head_of_a_larger_family_is_looked_up(
    client, family, operator_b
):
    client.force_login(operator_b)

    page = _lookup(client, family)

    assert "Penduduk ini kepala keluarga di KK asal" in page.content.decode()


def test_a_confirmation_with_a_number_changed_moves_nobody(
    client, family, operator_b, kelurahan_a
):
    client.force_login(operator_b)

    saved = _save(
        client,
        family,
        origin_kk=make_kk(),
        scope="keluarga",
        address="Jl. Baru No. 7",
    )

    assert saved.status_code == 302
    assert saved.url == URL
    family.refresh_from_db()
    assert family.kelurahan == kelurahan_a


def test_a_move_recorded_through_pindah_keluarga_also_settles_the_report(
    family, kelurahan_b, admin_user
):
    change = reported_move_in(family, to=kelurahan_b)

    person_move(
        actor=admin_user,
        person=family,
        version=family.version,
        to_household=household(kelurahan=kelurahan_b),
    )

    change.refresh_from_db()
    assert change.status == PopulationChange.Status.APPLIED


def test_a_report_whose_resident_is_registered_there_by_now_is_neither_listed_nor_counted(
    family, kelurahan_b, operator_b
):
    reported_move_in(family, to=kelurahan_b)
    Person.objects.filter(pk=family.pk).update(kelurahan=kelurahan_b)

    assert reported_arrivals_for(operator_b) == []
    assert reported_arrivals_count(operator_b) == 0


def test_recording_the_move_settles_the_report_in_the_name_of_the_counter(
    family, kelurahan_b, operator_b
):
    change = reported_move_in(family, to=kelurahan_b)

    _family_move(operator_b, family)

    change.refresh_from_db()
    assert change.handled_by == operator_b


def test_the_counter_sees_the_reports_it_recorded_with_who_and_the_resident(
    client, family, kelurahan_b, operator_b
):
    reported_move_in(family, to=kelurahan_b)
    _family_move(operator_b, family)
    client.force_login(operator_b)

    page = client.get(URL)

    [handled] = page.context["handled"]
    assert (handled.person, handled.recorded) == (family, True)
    table = _table(page, "handled-arrivals")
    assert "Bapak Rahman" in table
    assert str(operator_b) in table
    assert "Dicatat di kelurahan ini" in table


def test_a_report_closed_as_not_found_is_listed_with_its_reason_and_no_name(
    client, family, kelurahan_b, operator_b
):
    change = reported_move_in(family, to=kelurahan_b)
    client.force_login(operator_b)
    client.post(URL, {"dismiss": change.pk, "note": "Tidak dikenal ketua RT 07"})

    table = _table(client.get(URL), "handled-arrivals")

    assert "Tidak ditemukan: Tidak dikenal ketua RT 07" in table
    assert "Bapak Rahman" not in table
    assert family.nik not in table


def test_another_kelurahans_closed_reports_are_not_listed(
    client, family, kelurahan_b, operator_a, operator_b
):
    reported_move_in(family, to=kelurahan_b)
    _family_move(operator_b, family)
    client.force_login(operator_a)

    page = client.get(URL)

    assert page.context["handled"] == []
    assert 'id="handled-arrivals"' not in page.content.decode()


def test_reports_closed_more_than_thirty_days_ago_are_no_longer_listed(
    client, family, kelurahan_b, operator_b
):
    change = reported_move_in(family, to=kelurahan_b)
    _family_move(operator_b, family)
    PopulationChange.objects.filter(pk=change.pk).update(
        applied_at=change.received_at - dt.timedelta(days=31)
    )
    client.force_login(operator_b)

    assert client.get(URL).context["handled"] == []


def test_a_report_the_job_settled_by_itself_is_not_listed_as_handled(
    client, family, kelurahan_a, operator_a
):
    reported_move_in(family, to=kelurahan_a)  # already registered there
    client.force_login(operator_a)

    assert client.get(URL).context["handled"] == []


def _table(page, table_id: str) -> str:
    body = page.content.decode()
    start = body.index(f'id="{table_id}"')
    return body[start : body.index("</table>", start)]
