from .dtks import DtksEntry, DtksImportBatch, DtksRejectedRow, DtksStagingRow
from .households import (
    Disability,
    DomicileStatus,
    Household,
    HouseholdKkNumber,
    HouseholdMembership,
    MaritalStatus,
    Person,
    Relationship,
    Sex,
)
from .sktm import (
    SKTM_WORKFLOW,
    Sktm,
    SktmCounter,
    SktmDocument,
    SktmPurpose,
    SktmStatus,
    SktmTransition,
)

__all__ = [
    "SKTM_WORKFLOW",
    "Disability",
    "DomicileStatus",
    "DtksEntry",
    "DtksImportBatch",
    "DtksRejectedRow",
    "DtksStagingRow",
    "Household",
    "HouseholdKkNumber",
    "HouseholdMembership",
    "MaritalStatus",
    "Person",
    "Relationship",
    "Sex",
    "Sktm",
    "SktmCounter",
    "SktmDocument",
    "SktmPurpose",
    "SktmStatus",
    "SktmTransition",
]
