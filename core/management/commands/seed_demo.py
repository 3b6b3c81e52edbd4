"""Demo users for every role (and, through registered seeders, demo data).

Idempotent: running it again changes nothing and prints the same logins.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from core import demo
from core.models import Kelurahan, User
from core.roles import Role
from core.services import staff_user_create

DEMO_PASSWORD = "Balikpapan-2026"  # noqa: S105 - demo data only, printed to the console

DEMO_USERS = [
    ("operator.manggar", Role.OPERATOR_KELURAHAN, "64.71.01.1001", "Sri", "Wahyuni"),
    ("operator.prapatan", Role.OPERATOR_KELURAHAN, "64.71.06.1001", "Andi", "Pratama"),
    (
        "koordinator.manggar",
        Role.KOORDINATOR_PUSKESOS,
        "64.71.01.1001",
        "Rahmat",
        "Hidayat",
    ),
    ("verifikator", Role.VERIFIKATOR_DINSOS, None, "Dewi", "Lestari"),
    ("supervisor", Role.SUPERVISOR_DINSOS, None, "Budi", "Santoso"),
    ("peksos.odgj", Role.PEKERJA_SOSIAL_ODGJ, None, "Nur", "Aisyah"),
    ("liaison.dukcapil", Role.LIAISON_DUKCAPIL, None, "Penghubung", "Dukcapil"),
    ("admin", Role.ADMIN, None, "Admin", "Sistem"),
]


class Command(BaseCommand):
    help = "Membuat akun demo untuk setiap peran dan data contoh."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for username, role, kel_code, first, last in DEMO_USERS:
                if User.objects.filter(username=username).exists():
                    continue
                staff_user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    role=role,
                    kelurahan=Kelurahan.objects.get(code=kel_code)
                    if kel_code
                    else None,
                    first_name=first,
                    last_name=last,
                )
            demo.run_seeders()
        self.stdout.write(
            self.style.SUCCESS("Akun demo (kata sandi sama untuk semua):")
        )
        for username, role, kel_code, *_ in DEMO_USERS:
            where = f" · {Kelurahan.objects.get(code=kel_code)}" if kel_code else ""
            self.stdout.write(f"  {username:<22} {Role(role).label}{where}")
        self.stdout.write(f"  kata sandi: {DEMO_PASSWORD}")
        self.stdout.write(
            "Buka http://127.0.0.1:8000 (admin: http://127.0.0.1:8000/admin/)"
        )
