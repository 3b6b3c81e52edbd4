"""A synthetic, reproducible Balikpapan for demos, tests and benchmarks.

Households and persons with NIKs consistent with region, birth date and sex, KK numbers,
Indonesian names (with the spelling variants staff must find), and a DTKS share of
about a quarter of households. Loading goes through COPY; DTKS files (CSV/XLSX, with
realistic dirty rows) feed the real importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.utils import timezone

from registry.names import normalize_name

MALE_NAMES = [
    "Muhammad",
    "Muhamad",
    "Mohammad",
    "Ahmad",
    "Achmad",
    "Budi",
    "Agus",
    "Andi",
    "Rizki",
    "Rizky",
    "Joko",
    "Slamet",
    "Bambang",
    "Hendra",
    "Dedi",
    "Eko",
    "Fajar",
    "Hadi",
    "Irfan",
    "Iwan",
    "Yusuf",
    "Arif",
    "Rudi",
    "Wahyu",
    "Teguh",
    "Dimas",
    "Fikri",
    "Rahmat",
    "Syahrul",
    "Hasan",
    "Abdul",
    "Sugeng",
    "Heri",
    "Yoga",
    "Aditya",
    "Ilham",
    "Riyan",
    "Reza",
    "Bayu",
]
FEMALE_NAMES = [
    "Siti",
    "Nur",
    "Sri",
    "Dewi",
    "Ayu",
    "Rina",
    "Fitri",
    "Wulan",
    "Lestari",
    "Indah",
    "Ratna",
    "Yuni",
    "Ani",
    "Eka",
    "Dian",
    "Maya",
    "Putri",
    "Nurul",
    "Aminah",
    "Fatimah",
    "Aisyah",
    "Rahmawati",
    "Novi",
    "Ika",
    "Mega",
    "Rosita",
    "Kartini",
    "Hartini",
    "Suryani",
    "Wahyuni",
    "Sari",
    "Nia",
    "Intan",
    "Citra",
    "Anisa",
    "Salsabila",
    "Zahra",
]
SECOND_NAMES = [
    "Santoso",
    "Pratama",
    "Saputra",
    "Hidayat",
    "Setiawan",
    "Wijaya",
    "Kurniawan",
    "Nugroho",
    "Siregar",
    "Hasibuan",
    "Lubis",
    "Harahap",
    "Nasution",
    "Rahman",
    "Hakim",
    "Wibowo",
    "Susanto",
    "Gunawan",
    "Firmansyah",
    "Aminah",
    "Handayani",
    "Rahayu",
    "Permata",
    "Sari",
    "Utami",
    "Anggraini",
    "Maharani",
    "Lestari",
    "Ramadhan",
    "Syahputra",
    "Prasetyo",
    "Purnomo",
    "Hamzah",
    "Ismail",
    "Ibrahim",
    "Daeng",
    "Baso",
    "Mappa",
    "Tandi",
]
BIRTH_PLACES = (
    "Balikpapan",
    "Balikpapan",
    "Balikpapan",
    "Samarinda",
    "Makassar",
    "Surabaya",
    "Banjarmasin",
    "Parepare",
    "Penajam",
)
# First-issue regions for NIKs of people born elsewhere: NIK digits never decide
# residency, so ~12% carry another region's code.
OTHER_DISTRICTS = ("647201", "647203", "737101", "357801", "637101", "740101")
STREETS = (
    "Jl. Mulawarman",
    "Jl. Soekarno-Hatta",
    "Jl. MT Haryono",
    "Jl. Ruhui Rahayu",
    "Jl. Pupuk Raya",
    "Jl. Sepinggan Baru",
    "Gg. Mawar",
    "Jl. Letjen Suprapto",
)


@dataclass
class SynthPerson:
    nik: str
    name: str
    sex: str
    birth_date: dt.date
    birth_place: str
    relationship: str


@dataclass
class SynthHousehold:
    kk_number: str
    kelurahan_id: str
    rt: str
    rw: str
    address: str
    in_dtks: bool
    desil: int | None
    persons: list[SynthPerson] = field(default_factory=list)


class CityGenerator:
    def __init__(self, *, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.nik_serials: dict[tuple[str, str], int] = defaultdict(int)
        self.kk_serials: dict[tuple[str, str], int] = defaultdict(int)

    def _nik(self, district: str, birth: dt.date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        stem = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        self.nik_serials[(district, stem)] += 1
        return f"{stem}{self.nik_serials[(district, stem)]:04d}"

    def _kk(self, district: str) -> str:
        issued = dt.date(2005, 1, 1) + dt.timedelta(days=self.rng.randrange(7300))
        stem = f"{district}{issued:%d%m%y}"
        self.kk_serials[(district, stem)] += 1
        return f"{stem}{self.kk_serials[(district, stem)]:04d}"

    def _birth(self, min_age: int, max_age: int, today: dt.date) -> dt.date:
        age_days = self.rng.randrange(min_age * 365, max_age * 365 + 1)
        return today - dt.timedelta(days=age_days)

    def _name(self, sex: str) -> str:
        first = self.rng.choice(MALE_NAMES if sex == "L" else FEMALE_NAMES)
        if self.rng.random() < 0.15:
            return first
        return f"{first} {self.rng.choice(SECOND_NAMES)}"

    def _person(
        self,
        kel_district: str,
        sex: str,
        relationship: str,
        ages: tuple[int, int],
        today: dt.date,
    ) -> SynthPerson:
        birth = self._birth(*ages, today)
        district = (
            self.rng.choice(OTHER_DISTRICTS)
            if self.rng.random() < 0.12
            else kel_district
        )
        return SynthPerson(
            nik=self._nik(district, birth, sex),
            name=self._name(sex),
            sex=sex,
            birth_date=birth,
            birth_place=self.rng.choice(BIRTH_PLACES),
            relationship=relationship,
        )

    def households(
        self, *, persons: int, kelurahan_ids: list[str], dtks_share: float = 0.25
    ) -> Iterator[SynthHousehold]:
        today = dt.date(2026, 11, 1)
        made = 0
        while made < persons:
            kel = self.rng.choice(kelurahan_ids)
            district = kel.replace(".", "")[:6]
            head_sex = "L" if self.rng.random() < 0.85 else "P"
            in_dtks = self.rng.random() < dtks_share
            household = SynthHousehold(
                kk_number=self._kk(district),
                kelurahan_id=kel,
                rt=f"{self.rng.randint(1, 60):03d}",
                rw=f"{self.rng.randint(1, 15):03d}",
                address=f"{self.rng.choice(STREETS)} No. {self.rng.randint(1, 250)}",
                in_dtks=in_dtks,
                desil=self.rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6)) if in_dtks else None,
            )
            household.persons.append(
                self._person(district, head_sex, "kepala_keluarga", (22, 80), today)
            )
            if head_sex == "L" and self.rng.random() < 0.85:
                household.persons.append(
                    self._person(district, "P", "istri", (20, 75), today)
                )
            for _ in range(self.rng.choice((0, 1, 1, 2, 2, 2, 3, 4))):
                sex = self.rng.choice("LP")
                household.persons.append(
                    self._person(district, sex, "anak", (0, 25), today)
                )
            made += len(household.persons)
            yield household


DTKS_HEADER = [
    "NIK",
    "NO_KK",
    "NAMA",
    "TEMPAT_LAHIR",
    "TGL_LAHIR",
    "JENIS_KELAMIN",
    "HUBUNGAN_KELUARGA",
    "ALAMAT",
    "RT",
    "RW",
    "KODE_KELURAHAN",
    "DESIL",
    "ID_DTKS",
    "STATUS_PADAN",
]
_RELATIONSHIP_TEXT = {
    "kepala_keluarga": "KEPALA KELUARGA",
    "istri": "ISTRI",
    "anak": "ANAK",
}


def dtks_rows(
    households: Iterable[SynthHousehold], *, dirty_share: float = 0.0, seed: int = 7
) -> Iterator[list[str]]:
    """DTKS rows of the households in DTKS; a share of them made dirty the way
    spreadsheets and hand entry make them dirty."""
    rng = random.Random(seed)
    serial = 0
    previous: list[str] | None = None
    for household in households:
        if not household.in_dtks:
            continue
        for person in household.persons:
            serial += 1
            row = [
                person.nik,
                household.kk_number,
                person.name.upper(),
                person.birth_place,
                person.birth_date.strftime("%d/%m/%Y"),
                person.sex,
                _RELATIONSHIP_TEXT.get(person.relationship, "FAMILI LAIN"),
                household.address,
                household.rt,
                household.rw,
                household.kelurahan_id.replace(".", ""),
                str(household.desil or ""),
                f"DTKS-{serial:08d}",
                "PADAN",
            ]
            if dirty_share and rng.random() < dirty_share:
                row = _make_dirty(row, rng, previous)
            previous = row
            yield row


def _make_dirty(
    row: list[str], rng: random.Random, previous: list[str] | None
) -> list[str]:
    kind = rng.randrange(6)
    row = list(row)
    if kind == 0:
        row[0] = f"{int(row[0]) / 1e15:.5f}E+15".replace(".", ",")  # scientific
    elif kind == 1:
        row[0] = row[0][:15]  # lost a digit
    elif kind == 2:
        row[4] = "31/02/1980"
    elif kind == 3:
        row[10] = "6472011001"  # Samarinda kelurahan
    elif kind == 4 and previous is not None:
        return list(previous)  # duplicated row
    else:
        row[11] = "12"
    return row


def write_dtks_csv(
    path: Path, rows: Iterable[list[str]], *, delimiter: str = ";"
) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(DTKS_HEADER)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_dtks_xlsx(path: Path, rows: Iterable[list[str]]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(DTKS_HEADER)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    book.save(path)
    return count


def load_households(households: Iterable[SynthHousehold], *, with_dtks: bool) -> int:
    """COPY households, persons, memberships and KK history straight into the tables.

    For data generation only: the real paths are the services and the DTKS importer.
    Returns the number of persons loaded.
    """
    now = timezone.now()
    today = timezone.localdate()
    period = today.replace(day=1)
    persons = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM registry_household")
        next_household = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM registry_person")
        next_person = cursor.fetchone()[0]
        raw = cursor.cursor
        hh_rows: list[tuple[object, ...]] = []
        kk_rows: list[tuple[object, ...]] = []
        p_rows: list[tuple[object, ...]] = []
        m_rows: list[tuple[object, ...]] = []
        d_rows: list[tuple[object, ...]] = []

        def flush() -> None:
            specs = (
                (
                    "registry_household (id, public_id, kk_number, kelurahan_id, rt, rw, "
                    "address, version, created_at, updated_at)",
                    hh_rows,
                ),
                (
                    "registry_householdkknumber (household_id, kk_number, valid_from, "
                    "reason, recorded_at)",
                    kk_rows,
                ),
                (
                    "registry_person (id, public_id, nik, name, name_search, birth_place, "
                    "birth_date, sex, household_id, kelurahan_id, relationship, "
                    "marital_status, occupation, formally_employed, disability, "
                    "is_deceased, domicile_status, phone, version, created_at, updated_at)",
                    p_rows,
                ),
                (
                    "registry_householdmembership (person_id, household_id, relationship, "
                    "joined_on, join_reason, leave_reason)",
                    m_rows,
                ),
                (
                    "registry_dtksentry (person_id, dtks_id, desil, active, active_since, "
                    "deactivation_reason)",
                    d_rows,
                ),
            )
            for target, rows in specs:
                if rows:
                    with raw.copy(f"COPY {target} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    rows.clear()

        for household in households:
            next_household += 1
            hh_rows.append(
                (
                    next_household,
                    uuid.uuid4(),
                    household.kk_number,
                    household.kelurahan_id,
                    household.rt,
                    household.rw,
                    household.address,
                    1,
                    now,
                    now,
                )
            )
            kk_rows.append((next_household, household.kk_number, today, "awal", now))
            for person in household.persons:
                next_person += 1
                persons += 1
                p_rows.append(
                    (
                        next_person,
                        uuid.uuid4(),
                        person.nik,
                        person.name,
                        normalize_name(person.name),
                        person.birth_place,
                        person.birth_date,
                        person.sex,
                        next_household,
                        household.kelurahan_id,
                        person.relationship,
                        "",
                        "",
                        False,
                        "tidak_ada",
                        False,
                        "sesuai_kk",
                        "",
                        1,
                        now,
                        now,
                    )
                )
                m_rows.append(
                    (
                        next_person,
                        next_household,
                        person.relationship,
                        today,
                        "awal",
                        "",
                    )
                )
                if with_dtks and household.in_dtks:
                    d_rows.append(
                        (
                            next_person,
                            f"DTKS-{next_person:08d}",
                            household.desil,
                            True,
                            period,
                            "",
                        )
                    )
            if len(p_rows) >= 50_000:
                flush()
        flush()
        for table in ("registry_household", "registry_person"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
    return persons
