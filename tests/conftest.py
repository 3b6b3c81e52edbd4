from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.utils import translation

from core.models import Kelurahan
from core.roles import Role
from tests.factories.core import StaffFactory, kelurahan
from tests.rate_limits import clear_rate_limits

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_on_the_test_database(django_db_setup, django_db_blocker):
    """Before pytest-django drops the test database: a session another process or
    thread opened on it (a Celery worker still stopping, a forked validation
    process killed) would make the drop fail ("being accessed by other users") and
    leave the database behind."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _default_language():
    """A request with another language cookie leaves that language active in the
    test's thread (LocaleMiddleware activates it and nothing resets it): the tests
    after it would read English labels."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit windows last an hour and live in this process (the test cache and
    core.ratelimit's leases): the public forms posted by earlier tests in the same
    worker would otherwise spend a later test's allowance (a status check refused
    with 429 in a browser test)."""
    clear_rate_limits()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush every table, reference data from migrations too.
    pytest-django runs them after the others, but a test that takes a fixture of
    theirs (pytest-playwright's `page`, say) moves them forward: a test in its own
    transaction also reloads the data when a flush has left it empty."""
    from registry.models import SktmPurpose

    marker = request.node.get_closest_marker("django_db")
    if not marker:
        return
    if marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
        if SktmPurpose.objects.exists():
            return
    _load_reference_data()


def _load_reference_data() -> None:
    from bpjs.models import BudgetCeiling, HealthFacility, PremiumRate
    from bpjs.reference import load_reference_data
    from core.geography import ensure_geography
    from core.models import Kelurahan
    from puskesos import reference as puskesos_reference
    from puskesos.models import Agency, Counter, Holiday, NeedCategory
    from registry.models import SktmPurpose
    from registry.reference import load_sktm_purposes

    ensure_geography()
    load_sktm_purposes(SktmPurpose)
    load_reference_data(HealthFacility, PremiumRate, BudgetCeiling)
    puskesos_reference.load_reference_data(
        NeedCategory, Agency, Holiday, Counter, Kelurahan
    )


@pytest.fixture
def second_connection():
    """Another session on the test database, outside the test's transaction (as
    another worker would hold one). Its database name is taken from the test's own
    connection, so both sessions are sure to share advisory locks and rows."""
    from django.db import connection, connections

    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {
        **wrapper.settings_dict,
        "NAME": connection.settings_dict["NAME"],
    }
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def kelurahan_a() -> Kelurahan:
    return kelurahan("64.71.01.1001")  # Manggar


@pytest.fixture
def kelurahan_b() -> Kelurahan:
    return kelurahan("64.71.06.1001")  # Prapatan


@pytest.fixture
def operator_a(kelurahan_a):
    return StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan_a)


@pytest.fixture
def operator_b(kelurahan_b):
    return StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan_b)


@pytest.fixture
def koordinator_a(kelurahan_a):
    return StaffFactory(role=Role.KOORDINATOR_PUSKESOS, kelurahan=kelurahan_a)


@pytest.fixture
def verifikator():
    return StaffFactory(role=Role.VERIFIKATOR_DINSOS)


@pytest.fixture
def supervisor():
    return StaffFactory(role=Role.SUPERVISOR_DINSOS)


@pytest.fixture
def peksos_odgj():
    return StaffFactory(role=Role.PEKERJA_SOSIAL_ODGJ)


@pytest.fixture
def liaison():
    return StaffFactory(role=Role.LIAISON_DUKCAPIL)


@pytest.fixture
def admin_user():
    return StaffFactory(role=Role.ADMIN)


@pytest.fixture
def listed_page(client, kelurahan_a, operator_a, peksos_odgj, supervisor):
    """Opens one of tests.pages.PAGES as its role, with one record of each kind for
    the lists to show (the whole-site guards walk them all)."""
    from tests.pages import opened, with_one_of_each

    users = {"operator": operator_a, "peksos": peksos_odgj, "supervisor": supervisor}
    with_one_of_each(kelurahan_a, peksos_odgj)

    def open_page(who, method, url, kwargs, *, language=None):
        return opened(
            client, users.get(who), url, method=method, kwargs=kwargs, language=language
        )

    return open_page
