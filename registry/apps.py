from dataclasses import replace

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
        from registry.demo import (
            seed_dtks_proposals,
            seed_dtks_snapshot,
            seed_registry,
            seed_reported_arrival,
            seed_sktm,
        )
        from registry.proposal_selectors import proposal_waiting_count
        from registry.selectors import (
            dtks_import_waiting_count,
            reported_arrivals_count,
            sktm_waiting_count,
        )

        registry = _("Registri")
        for item in [
            navigation.NavItem(
                _("Cari penduduk"),
                "registry:person_search",
                BROWSER_ROLES,
                10,
                hint=_(
                    "Cari menurut NIK, nomor KK, atau nama; status gakin dan alasannya."
                ),
            ),
            navigation.NavItem(
                _("Keluarga baru"),
                "registry:household_create",
                frozenset({"operator_kelurahan", "koordinator_puskesos", "admin"}),
                20,
                hint=_("Daftarkan KK dan anggotanya yang belum ada di registri."),
            ),
            navigation.NavItem(
                _("Pindah datang"),
                "registry:arrival",
                frozenset({"operator_kelurahan", "koordinator_puskesos", "admin"}),
                25,
                hint=_(
                    "Penduduk dari kelurahan lain di Balikpapan pindah ke sini: "
                    "datanya dipindahkan, tidak didaftarkan ulang."
                ),
                waiting=reported_arrivals_count,
                waiting_text=_("%(n)s dilaporkan Dukcapil"),
            ),
            navigation.NavItem(
                _("SKTM"),
                "registry:sktm_list",
                BROWSER_ROLES,
                30,
                hint=_("Permohonan, verifikasi, dan penerbitan SKTM."),
                waiting=sktm_waiting_count,
                waiting_query="menunggu=1",
            ),
            navigation.NavItem(
                _("Usulan DTKS"),
                "registry:proposal_list",
                BROWSER_ROLES,
                35,
                hint=_(
                    "Keluarga yang diusulkan masuk DTKS/DTSEN: musyawarah "
                    "kelurahan, verivali, pengiriman, dan hasilnya."
                ),
                waiting=proposal_waiting_count,
                waiting_query="menunggu=1",
            ),
            navigation.NavItem(
                _("Keluar dari DTKS"),
                "registry:dtks_leavers",
                BROWSER_ROLES,
                37,
                hint=_(
                    "Warga yang tidak ada lagi di data DTKS terbaru: hubungi untuk "
                    "SKTM atau usulan DTKS baru."
                ),
            ),
            navigation.NavItem(
                _("Impor DTKS"),
                "registry:dtks_import",
                SUPERVISOR_ROLES,
                40,
                hint=_("Unggah berkas DTKS, tinjau hasil pemeriksaannya, lalu simpan."),
                waiting=dtks_import_waiting_count,
            ),
        ]:
            navigation.register(replace(item, group=registry))
        demo.register_seeder(seed_registry, order=10)
        demo.register_seeder(seed_sktm, order=20)
        demo.register_seeder(seed_dtks_proposals, order=25)
        demo.register_seeder(seed_reported_arrival, order=26)
        demo.register_seeder(seed_dtks_snapshot, order=27)
