"""English UI with the same day/month/year input as the Indonesian one."""

from django.conf.locale.en.formats import *  # noqa: F403

from config.formats.id.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

__all__ = ["DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS"]
