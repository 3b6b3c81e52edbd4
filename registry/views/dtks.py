"""DTKS import for supervisors: upload, live progress, preview, commit."""

from __future__ import annotations

import csv
import logging

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from core.exceptions import ApplicationError
from core.models import User
from core.permissions import actor_of, form_error_from, role_required
from core.roles import SUPERVISOR_ROLES
from core.scoping import get_for_actor_or_404
from registry import dtks_selectors, selectors
from registry.forms import DtksUploadForm
from registry.models import DtksImportBatch
from registry.services.dtks import (
    dtks_batch_cancel,
    dtks_batch_commit,
    dtks_batch_queue_commit,
    dtks_batch_retry_validation,
    dtks_batch_upload,
    dtks_batch_validate,
)
from registry.tasks import dtks_commit_batch, dtks_validate_batch

logger = logging.getLogger(__name__)

# Files up to this size are validated in the request; larger ones by the worker, with
# progress shown live.
INLINE_LIMIT_BYTES = 2 * 1024 * 1024
# Batches up to this many rows are saved in the request (about a second); larger ones
# by the worker, while the batch's page shows "Sedang disimpan".
INLINE_COMMIT_ROWS = 20_000
Status = DtksImportBatch.Status
RUNNING = (Status.UPLOADED, Status.VALIDATING, Status.COMMITTING)

# A file can have tens of thousands of refused rows: the page shows the first, the
# CSV has them all.
REJECTED_ROWS_SHOWN = 200


def _batch(request: HttpRequest, public_id: str) -> DtksImportBatch:
    batch: DtksImportBatch = get_for_actor_or_404(
        DtksImportBatch.objects.select_related("uploaded_by", "committed_by"),
        actor_of(request),
        public_id=public_id,
    )
    return batch


@role_required(SUPERVISOR_ROLES)
@require_http_methods(["GET", "POST"])
def dtks_import(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = DtksUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = dtks_batch_upload(
                actor=actor,
                file=upload,
                period=form.cleaned_data["period"],
                original_name=upload.name,
            )
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            _start_validation(request, batch, size=upload.size)
            return redirect("registry:dtks_batch", public_id=batch.public_id)
    return render(request, "registry/dtks_import.html", _list_context(form, actor))


def _start_validation(
    request: HttpRequest, batch: DtksImportBatch, *, size: int
) -> None:
    if size > INLINE_LIMIT_BYTES:
        transaction.on_commit(lambda: dtks_validate_batch.delay(batch.pk))
        return
    try:
        dtks_batch_validate(batch=batch)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    except Exception as exc:
        # The batch is marked failed with a reason its page shows; the page, not an
        # error 500, is what the supervisor should see. The class only: the message
        # of a database error may quote a row's values (personal data).
        logger.error(
            "DTKS batch %s: validation failed (%s)", batch.pk, type(exc).__name__
        )


@role_required(SUPERVISOR_ROLES)
@require_POST
def dtks_batch_retry_view(request: HttpRequest, public_id: str) -> HttpResponse:
    batch = _batch(request, public_id)
    try:
        batch = dtks_batch_retry_validation(actor=actor_of(request), batch=batch)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        _start_validation(request, batch, size=batch.file.size)
    return redirect("registry:dtks_batch", public_id=batch.public_id)


def _list_context(form: DtksUploadForm, actor: User) -> dict[str, object]:
    return {
        "form": form,
        "batches": DtksImportBatch.objects.for_actor(actor).select_related(
            "uploaded_by"
        )[:30],
    }


@role_required(SUPERVISOR_ROLES)
def dtks_batch(request: HttpRequest, public_id: str) -> HttpResponse:
    batch = _batch(request, public_id)
    context = {
        "batch": batch,
        "running": batch.status in RUNNING,
        "rejected": batch.rejected_rows.all()[:REJECTED_ROWS_SHOWN],
        "rejected_shown": REJECTED_ROWS_SHOWN,
        "indexes_pending": batch.status == DtksImportBatch.Status.COMMITTED
        and selectors.name_search_indexes_pending(),
        "confirm_deactivation": batch.status == Status.PREVIEWED
        and batch.deactivation_needs_confirmation,
    }
    if context["confirm_deactivation"]:
        context["absent_kelurahan"] = dtks_selectors.dtks_absent_kelurahan(batch)
    if getattr(request, "htmx", False):
        response = render(request, "registry/_dtks_progress.html", context)
        if batch.status not in RUNNING:
            stop = HttpResponseStopPolling(response.content)
            stop["HX-Refresh"] = "true"
            return stop
        return response
    return render(request, "registry/dtks_batch.html", context)


@role_required(SUPERVISOR_ROLES)
@require_POST
def dtks_batch_commit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = actor_of(request)
    batch = _batch(request, public_id)
    confirmed = request.POST.get("confirm_deactivation") == "1"
    try:
        if batch.rows_total <= INLINE_COMMIT_ROWS:
            dtks_batch_commit(
                actor=actor, batch=batch, deactivation_confirmed=confirmed
            )
            messages.success(request, _("Data DTKS tersimpan."))
        else:
            dtks_batch_queue_commit(
                actor=actor, batch=batch, deactivation_confirmed=confirmed
            )
            transaction.on_commit(lambda: dtks_commit_batch.delay(batch.pk, actor.pk))
            messages.info(request, _("Penyimpanan dimulai di latar belakang."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("registry:dtks_batch", public_id=batch.public_id)


@role_required(SUPERVISOR_ROLES)
@require_POST
def dtks_batch_cancel_view(request: HttpRequest, public_id: str) -> HttpResponse:
    batch = _batch(request, public_id)
    try:
        dtks_batch_cancel(actor=actor_of(request), batch=batch)
        messages.info(request, _("Impor dibatalkan."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("registry:dtks_import")


class _Echo:
    def write(self, value: str) -> str:
        return value


@role_required(SUPERVISOR_ROLES)
def dtks_rejected_csv(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    batch = _batch(request, public_id)
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow([_("Baris"), _("Alasan"), "NIK", _("Nama")])
        for row in batch.rejected_rows.iterator(chunk_size=2000):
            yield writer.writerow([row.row_number, row.reason, row.nik, row.name])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="dtks-ditolak-{batch.pk}.csv"'
    )
    return response
