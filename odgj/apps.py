from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OdgjConfig(AppConfig):
    name = "odgj"
    verbose_name = _("Perekaman ODGJ")

    def ready(self) -> None:
        from core import dashboard, demo, extensions, navigation
        from odgj.dashboard import odgj_panel
        from odgj.demo import seed_odgj

        dashboard.register_panel(odgj_panel, order=30)
        demo.register_seeder(seed_odgj, order=40)
        from core.roles import Role
        from odgj.panels import person_case_panel

        extensions.register_person_panel(person_case_panel)
        from odgj.selectors import odgj_overdue_count

        navigation.register(
            navigation.NavItem(
                _("ODGJ"),
                "odgj:worklist",
                frozenset(
                    {Role.PEKERJA_SOSIAL_ODGJ, Role.SUPERVISOR_DINSOS, Role.ADMIN}
                ),
                50,
                hint=_(
                    "Papan kerja pendampingan: dari penjangkauan sampai KTP-el "
                    "diserahkan."
                ),
                waiting=odgj_overdue_count,
                waiting_text=_("%(n)s melewati batas"),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Lapor ODGJ"),
                "odgj:subject_create",
                frozenset({Role.OPERATOR_KELURAHAN, Role.KOORDINATOR_PUSKESOS}),
                55,
                hint=_(
                    "Laporkan warga dengan gangguan jiwa tanpa KTP untuk dijangkau."
                ),
            )
        )
