from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # After admin autodiscovery (django.contrib.admin comes first): replace the
        # plain Celery admin pages with Unfold ones.
        from core import (  # noqa: F401
            admin_celery,
            admin_jobs,
            api,
            api_schema,
            security_log,
        )

        security_log.connect()
        api.connect_token_cache_invalidation()

        from core.library_labels import name_library_models

        name_library_models()

        from core import navigation
        from core.roles import ADMIN_SITE_ROLES

        navigation.register(
            navigation.NavItem(
                _("Dasbor admin"),
                "admin:index",
                ADMIN_SITE_ROLES,
                90,
                hint=_(
                    "Angka dan grafik seluruh kota, laporan bulanan, dan data rujukan."
                ),
            )
        )
