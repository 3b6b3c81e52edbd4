"""The bulk DTKS importer: stream → validate → COPY into staging → set-based upsert."""
