from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BpjsConfig(AppConfig):
    name = "bpjs"
    verbose_name = _("BPJS PBPU Pemda")

    def ready(self) -> None:
        from bpjs import jobs  # noqa: F401 - registers the data-update jobs
        from bpjs.dashboard import bpjs_panel
        from bpjs.demo import seed_bpjs
        from bpjs.panels import person_bpjs_panel
        from core import dashboard, demo, extensions, navigation

        dashboard.register_panel(bpjs_panel, order=20)
        demo.register_seeder(seed_bpjs, order=30)
        from core.roles import SUPERVISOR_ROLES, Role

        extensions.register_person_panel(person_bpjs_panel)
        kelurahan = frozenset({Role.OPERATOR_KELURAHAN, Role.KOORDINATOR_PUSKESOS})
        dinsos = frozenset({Role.VERIFIKATOR_DINSOS}) | SUPERVISOR_ROLES
        from bpjs.selectors import (
            application_waiting_count,
            batch_waiting_count,
            removal_waiting_count,
        )

        bpjs = _("BPJS")
        for item in [
            navigation.NavItem(
                _("Pengajuan BPJS"),
                "bpjs:application_list",
                kelurahan | dinsos,
                60,
                hint=_("PBPU Pemda kelas III: dari pengajuan sampai peserta aktif."),
                waiting=application_waiting_count,
                waiting_query="menunggu=1",
            ),
            navigation.NavItem(
                _("Batch usulan"),
                "bpjs:batch_list",
                dinsos,
                61,
                hint=_("Usulan bulanan ke BPJS Kesehatan dan berkas jawabannya."),
                waiting=batch_waiting_count,
            ),
            navigation.NavItem(
                _("Peserta aktif"),
                "bpjs:participant_list",
                kelurahan | dinsos,
                61,
                hint=_("Warga yang kini dijamin PBPU Pemda: nomor kartu dan TMT."),
            ),
            navigation.NavItem(
                _("Iuran"),
                "bpjs:premiums",
                dinsos,
                62,
                hint=_("Iuran bulanan peserta yang dibayar APBD, per kelurahan."),
            ),
            navigation.NavItem(
                _("Penghapusan peserta"),
                "bpjs:removal_list",
                kelurahan | dinsos,
                63,
                hint=_(
                    "Peserta yang bekerja, pindah, meninggal, atau dijamin pihak lain."
                ),
                waiting=removal_waiting_count,
                waiting_query="menunggu=1",
            ),
        ]:
            navigation.register(replace(item, group=bpjs))
