from __future__ import annotations

import factory

from core.geography import ensure_geography
from core.models import Kelurahan, User
from core.roles import KELURAHAN_BOUND_ROLES, Role
from core.services import staff_user_create

PASSWORD = "Rahasia-Uji-2026!"


def kelurahan(code: str = "64.71.01.1001") -> Kelurahan:
    # Transactional tests flush every table, migration data included.
    ensure_geography()
    return Kelurahan.objects.get(code=code)


class StaffFactory(factory.Factory):
    """Staff accounts made through the real service, so roles and scope are valid."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"petugas{n}")
    role = Role.OPERATOR_KELURAHAN
    kelurahan = factory.LazyAttribute(
        lambda o: kelurahan() if o.role in KELURAHAN_BOUND_ROLES else None
    )
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")

    @classmethod
    def _create(cls, model_class: type[User], *args, **kwargs) -> User:
        return staff_user_create(password=PASSWORD, **kwargs)
