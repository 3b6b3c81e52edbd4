"""Reads of ODGJ data. Opening a subject is a logged read (UU 27/2022): the case worker
reads with a purpose; a supervisor or admin must hold a break-glass grant."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bpjs.models import Coverage
from core.models import AccessLog, User
from core.postgresql.base import prepared_cursor
from core.roles import Role
from core.scoping import get_for_actor_or_404
from core.services import break_glass_active, record_access
from odgj.models import Guardian, OdgjSubject, Stage
from registry.models import DtksEntry, Person
from registry.selectors import PersonSearch, person_search_for_actor

NORMAL_READERS = frozenset({Role.PEKERJA_SOSIAL_ODGJ})
# Columns safe for lists: no notes, no photo.
LIST_FIELDS = (
    "id",
    "public_id",
    "alias",
    "sex",
    "estimated_age",
    "stage",
    "stage_changed_at",
    "kelurahan",
    "found_place_type",
    "created_at",
    "case_worker",
    "person",
)


class BreakGlassRequired(Exception):
    """The actor may open this record only with a stated reason."""

    def __init__(self, subject: OdgjSubject) -> None:
        super().__init__("break-glass required")
        self.subject = subject


def odgj_subject_list_for_actor(actor: User) -> QuerySet[OdgjSubject]:
    return (
        OdgjSubject.objects.for_actor(actor)
        .only(*LIST_FIELDS)
        .select_related("kelurahan")
    )


def odgj_subject_get_for_actor(
    actor: User,
    public_id: object,
    *,
    purpose: str,
    channel: str = AccessLog.Channel.WEB,
) -> OdgjSubject:
    subject: OdgjSubject = get_for_actor_or_404(
        OdgjSubject.objects.select_related("kelurahan", "person", "case_worker"),
        actor,
        public_id=public_id,
    )
    if actor.role in NORMAL_READERS or actor.role == Role.LIAISON_DUKCAPIL:
        record_access(actor=actor, obj=subject, purpose=purpose, channel=channel)
        return subject
    grant = break_glass_active(actor=actor, obj=subject)
    if grant is None:
        raise BreakGlassRequired(subject)
    record_access(
        actor=actor,
        obj=subject,
        purpose=purpose,
        channel=channel,
        break_glass=True,
        reason=grant.reason,
    )
    return subject


def odgj_subject_for_break_glass(actor: User, public_id: object) -> OdgjSubject:
    """Only the existence check, for the break-glass form: nothing is read."""
    subject: OdgjSubject = get_for_actor_or_404(
        OdgjSubject.objects.only("id", "public_id"), actor, public_id=public_id
    )
    return subject


def guardian_rows_by_subject(
    subject_ids: Sequence[int],
) -> dict[int, list[dict[str, str]]]:
    """The guardians of a page of subjects as plain rows, in one query, by subject.

    prefetch_related built a queryset per subject to hold its guardians: 27 of the
    40 ms of a 100-subject page of the recording queue (bench/api.py)."""
    rows: dict[int, list[dict[str, str]]] = defaultdict(list)
    for subject_id, guardian_type, name, relation, contact in (
        Guardian.objects.filter(subject_id__in=subject_ids)
        .order_by("subject_id", "pk")
        .values_list("subject_id", "guardian_type", "name", "relation", "contact")
    ):
        rows[subject_id].append(
            {
                "guardian_type": guardian_type,
                "name": name,
                "relation": relation,
                "contact": contact,
            }
        )
    return rows


def stage_overdue_days() -> dict[str, int]:
    # Days a case may wait in a stage before it is overdue [U]: defaults, editable in
    # settings (ODGJ_STAGE_OVERDUE_DAYS).
    defaults = {
        Stage.IDENTIFIED: 7,
        Stage.DATA_VERIFIED: 14,
        Stage.RECORDED: 14,
        Stage.EXISTING_NIK_FOUND: 14,
        Stage.NIK_ISSUED: 14,
        Stage.KTP_PRINTED: 7,
    }
    return {**defaults, **getattr(settings, "ODGJ_STAGE_OVERDUE_DAYS", {})}


def stage_overdue_since(stage: str, now: dt.datetime) -> dt.datetime | None:
    """A case in `stage` since this moment or earlier is overdue: more than the
    stage's limit in whole days (None: the stage has no limit)."""
    days = stage_overdue_days().get(stage)
    return None if days is None else now - dt.timedelta(days=days + 1)


@dataclass(frozen=True)
class WorkItem:
    subject: OdgjSubject
    days_waiting: int
    overdue: bool


def odgj_worklist(
    actor: User, *, kelurahan_id: str | None = None, now: dt.datetime | None = None
) -> dict[str, list[WorkItem]]:
    now = now or timezone.now()
    limits = stage_overdue_days()
    subjects = odgj_subject_list_for_actor(actor).exclude(
        stage__in=[Stage.CLOSED, Stage.KTP_DELIVERED]
    )
    if kelurahan_id:
        subjects = subjects.filter(kelurahan_id=kelurahan_id)
    board: dict[str, list[WorkItem]] = {s: [] for s in limits}
    for subject in subjects.order_by("stage_changed_at"):
        since = stage_overdue_since(subject.stage, now)
        board.setdefault(subject.stage, []).append(
            WorkItem(
                subject,
                (now - subject.stage_changed_at).days,
                since is not None and subject.stage_changed_at <= since,
            )
        )
    return board


def odgj_overdue_count(actor: User, *, now: dt.datetime | None = None) -> int:
    """Open cases that stayed in their stage longer than its limit (the worklist's
    red cards), in one query."""
    now = now or timezone.now()
    overdue = Q(pk__in=[])
    for stage in stage_overdue_days():
        overdue |= Q(stage=stage, stage_changed_at__lte=stage_overdue_since(stage, now))
    return odgj_subject_list_for_actor(actor).filter(overdue).count()


def odgj_stage_counts(actor: User) -> dict[str, int]:
    rows = odgj_subject_list_for_actor(actor).values("stage").annotate(n=Count("id"))
    return {row["stage"]: row["n"] for row in rows}


@dataclass(frozen=True)
class CaseSummary:
    has_open_case: bool
    contact_name: str = ""
    contact_phone: str = ""


def odgj_case_summary_for_person(person: Person) -> CaseSummary:
    """What an operator may know: that a case exists and whom to contact. Nothing else."""
    subject = (
        OdgjSubject.objects.filter(person=person)
        .exclude(stage=Stage.CLOSED)
        .select_related("case_worker")
        .only(
            "id",
            "case_worker__first_name",
            "case_worker__last_name",
            "case_worker__phone",
            "case_worker__username",
        )
        .first()
    )
    if subject is None:
        return CaseSummary(has_open_case=False)
    worker = subject.case_worker
    return CaseSummary(
        has_open_case=True,
        contact_name=str(worker) if worker else "Bidang Rehabilitasi Sosial Dinsos",
        contact_phone=worker.phone if worker else "",
    )


def registry_candidates(
    actor: User,
    *,
    nik: str = "",
    kk: str = "",
    name: str = "",
    birth_date: dt.date | None = None,
) -> list[Person]:
    """Registry persons that might be this subject, so a case links instead of
    creating a duplicate."""
    found: dict[int, Person] = {}
    for query in (nik, kk, name):
        if query:
            for person in person_search_for_actor(actor, PersonSearch(query=query))[
                :10
            ]:
                if birth_date is None or person.birth_date in (None, birth_date) or nik:
                    found[person.pk] = person
    return list(found.values())


@dataclass(frozen=True)
class ServiceStatus:
    found: bool
    in_dtks: bool = False
    bpjs_active: bool = False
    bpjs_segment: str | None = None
    odgj_open_case: bool = False


def service_status_by_nik(
    actor: User, nik: str, *, purpose: str = "cek status layanan oleh Dukcapil"
) -> ServiceStatus:
    """A person's DTKS, BPJS and ODGJ status by NIK, with the read logged.

    The partner API's hottest call, so it is one statement: the person lookup, the
    access-log insert (a data-modifying CTE runs whether or not the outer query reads
    it, and in the same transaction) and the three status checks.
    """
    sql = f"""
        WITH person AS (
            SELECT id FROM {Person._meta.db_table} WHERE nik = %(nik)s
        ), logged AS (
            INSERT INTO {AccessLog._meta.db_table}
                (occurred_at, actor_id, content_type_id, object_pk, object_repr,
                 purpose, channel, break_glass, reason)
            SELECT now(), %(actor)s, %(content_type)s, person.id::text,
                   'penduduk #' || person.id, %(purpose)s, %(channel)s, false, ''
            FROM person
            RETURNING 1
        )
        SELECT
            EXISTS (SELECT 1 FROM {DtksEntry._meta.db_table} d
                    WHERE d.person_id = person.id AND d.active),
            (SELECT c.segment FROM {Coverage._meta.db_table} c
             WHERE c.person_id = person.id AND c.active ORDER BY c.id LIMIT 1),
            EXISTS (SELECT 1 FROM {OdgjSubject._meta.db_table} s
                    WHERE s.person_id = person.id AND s.stage <> %(closed)s)
        FROM person
    """  # noqa: S608 - table names come from model metadata, values are parameters
    # Prepared: planning this statement cost PostgreSQL twice as much as running it.
    with prepared_cursor() as cursor:
        cursor.execute(
            sql,
            {
                "nik": nik,
                "actor": actor.pk,
                "content_type": ContentType.objects.get_for_model(Person).pk,
                "purpose": purpose,
                "channel": AccessLog.Channel.API.value,
                "closed": Stage.CLOSED.value,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return ServiceStatus(found=False)
    in_dtks, segment, odgj_open_case = row
    return ServiceStatus(
        found=True,
        in_dtks=in_dtks,
        bpjs_active=segment is not None,
        bpjs_segment=segment,
        odgj_open_case=odgj_open_case,
    )
