"""Reads of the registry, always scoped to the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils import timezone

from core.identity import is_digits, normalize_number, number_typed
from core.roles import CITY_WIDE_ROLES, KELURAHAN_BOUND_ROLES, SUPERVISOR_ROLES
from core.scoping import get_for_actor_or_404
from core.workflow import states_waiting_on
from registry.models import (
    DeferredIndex,
    DtksImportBatch,
    Household,
    Person,
    PopulationChange,
    Sktm,
    SktmStatus,
)
from registry.models.households import area_name_key, kelurahan_token
from registry.names import normalize_name
from registry.services.sktm import VERIFIER_ROLES as SKTM_VERIFIER_ROLES

Actor = AbstractBaseUser | AnonymousUser
# A city-wide name search shows at most this many of the closest names (four pages);
# staff narrow the query or pick a kelurahan rather than page further. The KNN scan
# grows faster than linearly with it: 100 took ~5 ms, 500 ~90 ms at 1M (bench).
NAME_SEARCH_MAX_RESULTS = 100


@dataclass(frozen=True)
class PersonSearch:
    query: str = ""
    kelurahan_id: str | None = None
    rt: str = ""
    rw: str = ""


def person_list_for_actor(actor: Actor) -> QuerySet[Person]:
    return Person.objects.for_actor(actor)


def person_get_for_actor(actor: Actor, public_id: object) -> Person:
    person: Person = get_for_actor_or_404(
        Person.objects.select_related("household", "kelurahan__kecamatan"),
        actor,
        public_id=public_id,
    )
    return person


def person_get_by_nik_for_actor(actor: Actor, nik: str) -> Person | None:
    # NIK is unique: no ORDER BY (first() would sort by id, which cost a seventh of
    # the lookup in the ORM's compiler, bench/registry.py).
    found = (
        Person.objects.for_actor(actor)
        .filter(nik=normalize_number(nik))
        .select_related("household", "kelurahan")
        .order_by()[:1]
    )
    return next(iter(found), None)


def name_search_indexes_pending() -> bool:
    """Whether a bulk DTKS import's name-search indexes are still being built after
    its commit (registry.services.dtks_bulk): until they are, a name search reads the
    whole registry, seconds instead of milliseconds."""
    return DeferredIndex.objects.filter(table=Person._meta.db_table).exists()


def name_search_is_capped(actor: Actor, search: PersonSearch) -> bool:
    """A name search across the whole city shows only the NAME_SEARCH_MAX_RESULTS
    nearest names; one within a kelurahan or RT/RW, or by NIK/KK, shows every match."""
    digits = normalize_number(search.query.strip())
    is_number = is_digits(digits) and len(digits) == 16
    return (
        getattr(actor, "role", None) in CITY_WIDE_ROLES
        and not (search.kelurahan_id or search.rt or search.rw)
        and not is_number
        and bool(normalize_name(search.query))
    )


def person_search_for_actor(actor: Actor, search: PersonSearch) -> QuerySet[Person]:
    """Search by NIK (16 digits), KK number, or name (spelling-tolerant).

    A 16-digit query is tried as a NIK and as a KK number; anything else is a name.
    """
    people = Person.objects.for_actor(actor).select_related("kelurahan", "household")
    if search.kelurahan_id:
        people = people.filter(kelurahan_id=search.kelurahan_id)
    if search.rt:
        people = people.filter(household__rt=search.rt)
    if search.rw:
        people = people.filter(household__rw=search.rw)
    query = search.query.strip()
    digits = normalize_number(query)
    if is_digits(digits) and len(digits) == 16:
        by_nik = people.filter(nik=digits).order_by("id")
        if by_nik.exists():
            return by_nik
        return people.filter(household__kk_number=digits).order_by(
            "household_id", "relationship", "name"
        )
    key = normalize_name(query)
    if not key:
        return people.order_by("name", "id")
    if name_search_is_capped(actor, search):
        # City-wide: the nearest names straight from the GiST index (KNN), so the cost
        # stays flat as the city grows instead of ranking every match (a common name
        # matches thousands of persons: ~1 s at 5M with the GIN path, bench/scale.py).
        # Nearest by whole-name similarity (<->), not word similarity: a query's words
        # are fully inside thousands of longer names ("siti aminah" in "siti aminah
        # lestari"), which would tie at distance 0 and let the exact name fall out.
        # The subquery asks for similar names itself: the outer query repeats no
        # trigram filter, which the planner could answer with the GIN index, fetching
        # every similar name of the city (22,000 for "dian pratama" at 1M, 100 ms).
        nearest = RawSQL(
            "SELECT id FROM registry_person WHERE %s <%% lower(name_search) "
            "ORDER BY lower(name_search) <-> %s LIMIT %s",
            [key, key, NAME_SEARCH_MAX_RESULTS],
        )
        similar: QuerySet[Person] = people.filter(id__in=nearest)
    else:
        similar = named_like(people, key, kelurahan_id=_search_area(actor, search))
    matches = similar.extra(
        select={"match_distance": "%s <<-> registry_person.name_search"},
        select_params=[key],
    )
    return matches.annotate(name_length=Length(F("name_search"))).order_by(
        "match_distance", "name_length", "id"
    )


def named_like(
    people: QuerySet[Person], key: str, *, kelurahan_id: str | None = None
) -> QuerySet[Person]:
    """Persons whose name is like `key` (word similarity), found by the area index
    (area_name_key). Across the city it answers for the name alone: the kelurahan
    token before the name is one more word, which the name's best-matching extent
    leaves out, so no name-only index has to be kept up to date. Within a kelurahan
    it fetches only that kelurahan's names instead of every similar name of the city;
    the token narrows in the index, and the kelurahan itself is still compared, since
    8 hex digits of a hash may be shared by two of Indonesia's ~84,000 kelurahan and
    desa."""
    conditions: dict[str, object] = {"area_name__trigram_word_similar": key}
    if kelurahan_id is not None:
        conditions |= {
            "area_name__contains": kelurahan_token(kelurahan_id),
            "kelurahan_id": kelurahan_id,
        }
    return people.alias(area_name=area_name_key()).filter(**conditions)


def _search_area(actor: Actor, search: PersonSearch) -> str | None:
    """The one kelurahan a search is confined to, if any: the one asked for, or the
    one a kelurahan-bound actor works in."""
    if search.kelurahan_id:
        return str(search.kelurahan_id)
    if getattr(actor, "role", None) in KELURAHAN_BOUND_ROLES:
        kelurahan_id = getattr(actor, "kelurahan_id", None)
        return str(kelurahan_id) if kelurahan_id else None
    return None


def members_as_listed() -> QuerySet[Person]:
    """A household's members as its pages list them, each with the DTKS status."""
    return Person.objects.select_related("dtks").order_by("relationship", "birth_date")


def household_get_for_actor(actor: Actor, public_id: object) -> Household:
    members = Prefetch("members", queryset=members_as_listed())
    household: Household = get_for_actor_or_404(
        Household.objects.select_related("kelurahan__kecamatan").prefetch_related(
            members, "kk_history"
        ),
        actor,
        public_id=public_id,
    )
    return household


def household_by_kk_for_actor(actor: Actor, kk_number: str) -> Household | None:
    """The household holding this KK number now, if the actor may see it."""
    digits = normalize_number(kk_number)
    if not digits:
        return None
    return Household.objects.for_actor(actor).filter(kk_number=digits).first()


def arrival_candidate(*, nik: str, origin_kk: str) -> Person | None:
    """A living resident holding this NIK in the household holding this KK number,
    wherever in the city: what a receiving counter may see of another kelurahan's
    records (pindah datang), and only on both numbers of the letter of moving, since
    one alone would let a counter look anyone up. The caller logs the read."""
    found = (
        Person.objects.filter(
            nik=normalize_number(nik),
            household__kk_number=normalize_number(origin_kk),
            is_deceased=False,
        )
        .select_related("household__kelurahan__kecamatan")
        .prefetch_related(Prefetch("household__members", queryset=members_as_listed()))
        .order_by()[:1]
    )
    return next(iter(found), None)


@dataclass(frozen=True)
class ReportedArrival:
    change: PopulationChange
    # None: a newcomer from outside the city, not in the registry yet (of a closed
    # report: nobody of that NIK is registered in its kelurahan).
    person: Person | None

    @property
    def recorded(self) -> bool:
        """Closed by recording the move (not as not found)."""
        return self.change.status == PopulationChange.Status.APPLIED


def _reported_arrivals(actor: Actor) -> QuerySet[PopulationChange]:
    """Moves into a kelurahan that Dukcapil reported for residents registered in
    another, or in none yet: the receiving kelurahan's to record (all of them for
    city-wide staff). One whose resident is registered there by now (a DTKS import,
    a move recorded another way) is left out, in the count as in the list."""
    already_there = Person.objects.filter(
        nik=OuterRef("nik"), kelurahan_id=OuterRef("destination_id")
    )
    changes = PopulationChange.objects.filter(
        kind=PopulationChange.Kind.MOVE_IN,
        status=PopulationChange.Status.WAITING_FOR_COUNTER,
    ).exclude(Exists(already_there))
    return _into_actor_area(actor, changes)


def _into_actor_area(
    actor: Actor, changes: QuerySet[PopulationChange]
) -> QuerySet[PopulationChange]:
    """Moves into the actor's kelurahan (into any, for city-wide staff)."""
    if getattr(actor, "role", None) in KELURAHAN_BOUND_ROLES:
        return changes.filter(destination_id=getattr(actor, "kelurahan_id", None))
    if getattr(actor, "role", None) in CITY_WIDE_ROLES:
        return changes
    return changes.none()


def reported_arrivals_count(actor: Actor) -> int:
    return _reported_arrivals(actor).count()


def reported_arrivals_for(actor: Actor, limit: int = 50) -> list[ReportedArrival]:
    """The oldest reports first, each with its resident, if registered (two
    queries in all)."""
    changes = list(
        _reported_arrivals(actor)
        .select_related("destination")
        .order_by("event_date", "id")[:limit]
    )
    people = {
        person.nik: person
        for person in Person.objects.filter(
            nik__in=[change.nik for change in changes], is_deceased=False
        ).select_related("household", "kelurahan")
    }
    return [ReportedArrival(change, people.get(change.nik)) for change in changes]


# How far back the counter sees the reports it has closed.
HANDLED_ARRIVALS_DAYS = 30


def handled_arrivals_for(actor: Actor, limit: int = 50) -> list[ReportedArrival]:
    """Reports of moves into the actor's kelurahan that its counter closed in the
    last `HANDLED_ARRIVALS_DAYS` days, newest first: recorded there, or closed as
    not found (with who and why). Reports the data-update job settled by itself
    (the resident was registered there already) were nobody's to handle. Each comes
    with its resident if registered in that kelurahan now (two queries in all)."""
    since = timezone.now() - dt.timedelta(days=HANDLED_ARRIVALS_DAYS)
    changes = list(
        _into_actor_area(
            actor,
            PopulationChange.objects.filter(
                kind=PopulationChange.Kind.MOVE_IN,
                status__in=[
                    PopulationChange.Status.APPLIED,
                    PopulationChange.Status.NOT_FOUND,
                ],
                handled_by__isnull=False,
                applied_at__gte=since,
            ),
        )
        .select_related("destination", "handled_by")
        .order_by("-applied_at", "-id")[:limit]
    )
    people = {
        (person.nik, person.kelurahan_id): person
        for person in Person.objects.filter(nik__in=[change.nik for change in changes])
    }
    return [
        ReportedArrival(change, people.get((change.nik, change.destination_id)))
        for change in changes
    ]


def reported_change_get(actor: Actor, pk: object) -> PopulationChange | None:
    """A report still waiting that the actor's counter may act on."""
    try:
        return _reported_arrivals(actor).get(pk=int(str(pk)))
    except (PopulationChange.DoesNotExist, ValueError):
        return None


def reported_arrival_get(actor: Actor, pk: object) -> ReportedArrival | None:
    """One report the actor may record, with its resident; None when gone."""
    change = reported_change_get(actor, pk)
    if change is None:
        return None
    person = (
        Person.objects.filter(nik=change.nik, is_deceased=False)
        .select_related("household")
        .first()
    )
    return ReportedArrival(change, person) if person is not None else None


def household_list_for_actor(actor: Actor) -> QuerySet[Household]:
    return Household.objects.for_actor(actor).select_related("kelurahan")


def sktm_list_for_actor(actor: Actor) -> QuerySet[Sktm]:
    return Sktm.objects.for_actor(actor).select_related(
        "person", "purpose", "kelurahan"
    )


# A rejected request is final (the citizen may ask again), so it waits on no one.
SKTM_WAITS_ON = {
    SktmStatus.REQUESTED: SKTM_VERIFIER_ROLES,
    SktmStatus.VERIFIED: SKTM_VERIFIER_ROLES,
}
DTKS_IMPORT_WAITS_ON = {DtksImportBatch.Status.PREVIEWED: SUPERVISOR_ROLES}


def sktm_search_for_actor(actor: Actor, query: str) -> QuerySet[Sktm]:
    """SKTMs whose number, person's NIK or person's name matches, newest first."""
    text = " ".join(query.split())
    matches = Q(number__iexact=text) | Q(person__name__icontains=text)
    if nik := number_typed(text):
        matches |= Q(person__nik=nik)
    return sktm_list_for_actor(actor).filter(matches)


def sktm_household_members(sktm: Sktm) -> list[Person]:
    """The applicant's household as the verifier weighs it: who lives there, what
    they do, who is already in DTKS."""
    if sktm.household_id is None:
        return []
    return list(members_as_listed().filter(household_id=sktm.household_id))


def sktm_pending_for(person: Person) -> Sktm | None:
    """A request on its way (not yet issued or refused)."""
    return (
        Sktm.objects.filter(person=person, status__in=list(SKTM_WAITS_ON))
        .order_by("-created_at")
        .first()
    )


def sktm_waiting(actor: Actor) -> QuerySet[Sktm]:
    states = states_waiting_on(getattr(actor, "role", ""), SKTM_WAITS_ON)
    return sktm_list_for_actor(actor).filter(status__in=states)


def sktm_waiting_count(actor: Actor) -> int:
    # An empty list of states runs no query at all.
    return sktm_waiting(actor).count()


def dtks_import_waiting_count(actor: Actor) -> int:
    states = states_waiting_on(getattr(actor, "role", ""), DTKS_IMPORT_WAITS_ON)
    return DtksImportBatch.objects.filter(status__in=states).count()


def sktm_get_for_actor(actor: Actor, public_id: object) -> Sktm:
    sktm: Sktm = get_for_actor_or_404(
        Sktm.objects.select_related("person", "household", "purpose", "kelurahan"),
        actor,
        public_id=public_id,
    )
    return sktm


def dtks_current_period() -> object:
    """The period of the newest committed DTKS snapshot (None before the first)."""
    return (
        DtksImportBatch.objects.filter(status=DtksImportBatch.Status.COMMITTED)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
