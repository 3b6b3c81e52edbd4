from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registri kesejahteraan")

    def ready(self) -> None:
        from core import dashboard, demo, navigation
        from registry.dashboard import registry_panel

        dashboard.register_panel(registry_panel, order=10)
        from core.roles import BROWSER_ROLES, SUPERVISOR_ROLES
        from registry import jobs  # noqa: F401 - registers the data-update jobs
        from registry.demo import seed_registry, seed_sktm

        registry = _("Registri")
        for label, url_name, roles, order in [
            (_("Cari penduduk"), "registry:person_search", BROWSER_ROLES, 10),
            (
                _("Keluarga baru"),
                "registry:household_create",
                frozenset({"operator_kelurahan", "koordinator_puskesos", "admin"}),
                20,
            ),
            (_("SKTM"), "registry:sktm_list", BROWSER_ROLES, 30),
            (_("Impor DTKS"), "registry:dtks_import", SUPERVISOR_ROLES, 40),
        ]:
            navigation.register(
                navigation.NavItem(label, url_name, roles, order, group=registry)
            )
        demo.register_seeder(seed_registry, order=10)
        demo.register_seeder(seed_sktm, order=20)
