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
        bpjs = _("BPJS")
        for label, url_name, roles, order in [
            (_("Pengajuan BPJS"), "bpjs:application_list", kelurahan | dinsos, 60),
            (_("Batch usulan"), "bpjs:batch_list", dinsos, 61),
            (_("Iuran"), "bpjs:premiums", dinsos, 62),
            (_("Penghapusan peserta"), "bpjs:removal_list", kelurahan | dinsos, 63),
        ]:
            navigation.register(
                navigation.NavItem(label, url_name, roles, order, group=bpjs)
            )
