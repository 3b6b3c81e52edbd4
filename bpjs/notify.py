"""Telling a citizen about a decision: a letter through the kelurahan always, and an
SMS/WhatsApp message where a gateway is configured (NOTIFY_GATEWAY_URL) [U: the city's
gateway and its API are not chosen yet]."""

from __future__ import annotations

import json
import logging
import urllib.request

from django.conf import settings

from core.models import Notification
from registry.models import Person

logger = logging.getLogger(__name__)


def notify_citizen(*, person_id: int, subject: str, body: str) -> None:
    person = Person.objects.select_related("kelurahan").get(pk=person_id)
    Notification.objects.create(
        kelurahan=person.kelurahan,
        channel=Notification.Channel.LETTER,
        subject=subject,
        body=body,
        person_id=person.pk,
    )
    gateway = getattr(settings, "NOTIFY_GATEWAY_URL", "")
    if gateway and person.phone:
        payload = json.dumps({"to": person.phone, "text": body}).encode()
        request = urllib.request.Request(  # noqa: S310 - configured https endpoint
            gateway, data=payload, headers={"Content-Type": "application/json"}
        )
        try:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310
        except OSError:
            logger.warning(
                "notification gateway unreachable for notification to person %s",
                person.pk,
            )
