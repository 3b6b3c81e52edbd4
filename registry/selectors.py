"""Reads of the registry, always scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Length

from core.identity import normalize_number
from core.scoping import get_for_actor_or_404
from registry.models import DtksImportBatch, Household, Person, Sktm
from registry.names import normalize_name

Actor = AbstractBaseUser | AnonymousUser


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
    return (
        Person.objects.for_actor(actor)
        .filter(nik=normalize_number(nik))
        .select_related("household", "kelurahan")
        .first()
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
    if digits.isdigit() and len(digits) == 16:
        by_nik = people.filter(nik=digits).order_by("id")
        if by_nik.exists():
            return by_nik
        return people.filter(household__kk_number=digits).order_by(
            "household_id", "relationship", "name"
        )
    key = normalize_name(query)
    if not key:
        return people.order_by("name", "id")
    return (
        people.extra(
            where=["%s <%% registry_person.name_search"],
            params=[key],
            select={"match_distance": "%s <<-> registry_person.name_search"},
            select_params=[key],
        )
        .annotate(name_length=Length(F("name_search")))
        .order_by("match_distance", "name_length", "id")
    )


def household_get_for_actor(actor: Actor, public_id: object) -> Household:
    members = Prefetch(
        "members",
        queryset=Person.objects.select_related("dtks").order_by(
            "relationship", "birth_date"
        ),
    )
    household: Household = get_for_actor_or_404(
        Household.objects.select_related("kelurahan__kecamatan").prefetch_related(
            members, "kk_history"
        ),
        actor,
        public_id=public_id,
    )
    return household


def household_list_for_actor(actor: Actor) -> QuerySet[Household]:
    return Household.objects.for_actor(actor).select_related("kelurahan")


def sktm_list_for_actor(actor: Actor) -> QuerySet[Sktm]:
    return Sktm.objects.for_actor(actor).select_related(
        "person", "purpose", "kelurahan"
    )


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
