"""Example client for the Dukcapil liaison API (Python standard library only).

    python examples/dukcapil_client.py --base https://dinsos.example/ \
        --client-id ID --client-secret SECRET [--report SUBJECT_UUID NIK KK]

Lists the ODGJ subjects waiting for recording (following the cursor) and, with
--report, reports that a new NIK and KK were issued for a subject. Every POST carries
an Idempotency-Key, so a retry after a network error is safe.
"""

from __future__ import annotations

import argparse
import base64
import json
import urllib.parse
import urllib.request
import uuid


def token(base: str, client_id: str, secret: str) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "scope": "odgj:read odgj:write population:write status:read",
        }
    ).encode()
    request = urllib.request.Request(
        base.rstrip("/") + "/api/oauth/token/",
        data=body,
        headers={"Authorization": f"Basic {basic}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access_token"]


def call(url: str, bearer: str, payload: dict | None = None) -> dict:
    headers = {"Authorization": f"Bearer {bearer}", "Accept": "application/json"}
    data = None
    if payload is not None:
        data = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
        headers["Idempotency-Key"] = str(uuid.uuid4())
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--report", nargs=3, metavar=("SUBJECT", "NIK", "KK"))
    args = parser.parse_args()
    bearer = token(args.base, args.client_id, args.client_secret)

    url: str | None = args.base.rstrip("/") + "/api/v1/odgj/menunggu/"
    while url:
        page = call(url, bearer)
        for subject in page["results"]:
            print(
                subject["id"],
                subject["stage"],
                subject["alias"],
                subject["found_place"],
            )
        url = page.get("next")

    if args.report:
        subject, nik, kk = args.report
        answer = call(
            f"{args.base.rstrip('/')}/api/v1/odgj/{subject}/peristiwa/",
            bearer,
            {"event": "nik_issued", "nik": nik, "kk": kk},
        )
        print("stage now:", answer["stage"])


if __name__ == "__main__":
    main()
