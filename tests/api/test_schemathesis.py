"""Property-based run of the partner API against its own OpenAPI schema (served by a
live server): no server error and no response that breaks the schema. Bounded
examples per operation keep it fast."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import fetch_token, make_client_app
from tests.rate_limits import clear_rate_limits

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_has_no_server_error_and_honours_its_schema(live_server, liaison):
    bearer = f"Bearer {fetch_token(make_client_app(liaison))}"
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5

    for operation in operations:
        label = operation.label

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            clear_rate_limits()  # the per-client throttle is not what this test is about
            response = case.call(
                base_url=live_server.url, headers={"Authorization": bearer}
            )
            assert response.status_code < 500, (label, response.text)  # noqa: B023
            case.validate_response(response, checks=[response_schema_conformance])

        check()
