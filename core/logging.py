"""A logging filter that masks NIK/KK numbers and phone numbers in every record."""

from __future__ import annotations

import logging
import re

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{12})(\d{4})(?!\d)")
_PHONE = re.compile(r"(?<!\d)(\+62|62|0)8\d{6,11}(?!\d)")


def mask_personal_numbers(text: str) -> str:
    text = _SIXTEEN_DIGITS.sub(lambda m: "************" + m.group(2), text)
    return _PHONE.sub("[nomor HP disamarkan]", text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
