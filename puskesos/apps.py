from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PuskesosConfig(AppConfig):
    name = "puskesos"
    verbose_name = _("Puskesos (SLRT)")

    def ready(self) -> None:
        from core import dashboard, demo, extensions, navigation
        from puskesos.dashboard import jobs_panel, puskesos_panel
        from puskesos.demo import seed_puskesos
        from puskesos.panels import person_case_panel

        extensions.register_person_panel(person_case_panel)

        dashboard.register_panel(puskesos_panel, order=40)
        dashboard.register_panel(jobs_panel, order=50)
        demo.register_seeder(seed_puskesos, order=50)
        from core.roles import BROWSER_ROLES, COUNTER_ROLES
        from puskesos import jobs  # noqa: F401 - registers the data-update jobs

        staff = COUNTER_ROLES
        from puskesos.selectors import case_open_count

        navigation.register(
            navigation.NavItem(
                _("Puskesos"),
                "puskesos:home",
                BROWSER_ROLES,
                5,
                hint=_(
                    "Antrean hari ini, kasus terbuka, dan yang melewati batas waktu."
                ),
                waiting=case_open_count,
                waiting_text=_("%(n)s terbuka"),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Penerimaan"),
                "puskesos:intake",
                staff,
                6,
                hint=_(
                    "Catat pengaduan atau permohonan warga; kelayakannya diperiksa "
                    "saat itu juga."
                ),
            )
        )
