"""Staff roles and what each may see.

Two kinds of reach: kelurahan-bound roles see only their own kelurahan; city-wide roles
see the whole city. What a role may read at all is decided per model (see
`core.scoping.ScopedQuerySet`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR_KELURAHAN = "operator_kelurahan", _("Operator Puskesos kelurahan")
    KOORDINATOR_PUSKESOS = (
        "koordinator_puskesos",
        _("Koordinator Puskesos (Kasi Kesos)"),
    )
    VERIFIKATOR_DINSOS = "verifikator_dinsos", _("Verifikator Dinsos")
    SUPERVISOR_DINSOS = "supervisor_dinsos", _("Supervisor Dinsos")
    PEKERJA_SOSIAL_ODGJ = "pekerja_sosial_odgj", _("Pekerja sosial ODGJ")
    LIAISON_DUKCAPIL = "liaison_dukcapil", _("Penghubung Dukcapil (API)")
    ADMIN = "admin", _("Administrator sistem")


KELURAHAN_BOUND_ROLES = frozenset({Role.OPERATOR_KELURAHAN, Role.KOORDINATOR_PUSKESOS})
CITY_WIDE_ROLES = frozenset(
    {
        Role.VERIFIKATOR_DINSOS,
        Role.SUPERVISOR_DINSOS,
        Role.PEKERJA_SOSIAL_ODGJ,
        Role.ADMIN,
    }
)
# Roles that use the browser UI (the liaison only talks to the API).
BROWSER_ROLES = KELURAHAN_BOUND_ROLES | CITY_WIDE_ROLES
# Roles that open the Django admin (Unfold) at all.
ADMIN_SITE_ROLES = frozenset(
    {Role.SUPERVISOR_DINSOS, Role.VERIFIKATOR_DINSOS, Role.ADMIN}
)
SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR_DINSOS, Role.ADMIN})
# The kelurahan counter's staff, and the administrator: who does the counter's work
# (registering people, SKTM requests, usulan DTKS, Puskesos cases, calls).
COUNTER_ROLES = KELURAHAN_BOUND_ROLES | {Role.ADMIN}
# Registry data (households, persons, eligibility) is needed by every browser role.
REGISTRY_READ_ROLES = BROWSER_ROLES
