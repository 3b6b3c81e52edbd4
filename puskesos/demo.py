"""Demo data for `make run`: Puskesos cases of Manggar at the first steps of the SLRT
flow, taken in at the counter and online."""

from __future__ import annotations

from core.demo import demo_actor
from core.models import Kelurahan
from core.roles import Role
from puskesos.models import Case, CaseStatus, NeedCategory, RequestType
from puskesos.services import case_intake, case_transition
from registry.demo import DEMO_KELURAHAN
from registry.models import Person


def seed_puskesos() -> None:
    operator = demo_actor(Role.OPERATOR_KELURAHAN, DEMO_KELURAHAN[0])
    koordinator = demo_actor(Role.KOORDINATOR_PUSKESOS, DEMO_KELURAHAN[0])
    if operator is None or koordinator is None or Case.objects.exists():
        return
    kelurahan = Kelurahan.objects.get(pk=DEMO_KELURAHAN[0])
    residents = list(
        Person.objects.filter(kelurahan=kelurahan, is_deceased=False).order_by("-id")[
            :3
        ]
    )
    if len(residents) < 3:
        return

    def intake(need: str, description: str, **fields: object) -> Case:
        case, _created = case_intake(
            kelurahan=kelurahan,
            need=NeedCategory.objects.get(code=need),
            request_type=RequestType.COMPLAINT,
            description=description,
            **fields,  # type: ignore[arg-type]
        )
        return case

    intake(
        "kesehatan_bpjs",
        "Anak demam tinggi tiga hari; keluarga belum punya BPJS.",
        actor=operator,
        person=residents[0],
    )
    assessed = intake(
        "pangan",
        "Kepala keluarga sakit, tidak bekerja sebulan; beras habis.",
        actor=operator,
        person=residents[1],
    )
    case_transition(actor=operator, case=assessed, to=CaseStatus.ASSESSED)
    decided = intake(
        "pendidikan",
        "Tunggakan uang sekolah dua bulan; ijazah SMP ditahan.",
        actor=operator,
        person=residents[2],
    )
    decided = case_transition(actor=operator, case=decided, to=CaseStatus.ASSESSED)
    case_transition(
        actor=koordinator,
        case=decided,
        to=CaseStatus.SERVICE_DECIDED,
        service_decision="Rujuk ke Disdikbud untuk keringanan biaya sekolah.",
    )
    intake(
        "sktm",
        "Minta dibuatkan SKTM untuk berobat; belum terdaftar di registri.",
        actor=None,
        applicant_name="Warga Daring Contoh",
        phone="081200000000",
        channel=Case.Channel.ONLINE,
    )
