"""Loading absence periods from the personnel system: all or nothing, idempotent, corrections replace.

- ``aanvragen`` records an upload (the file's text, who, which entity may be in it);
- ``verwerken`` checks every line (trajecten.absence_import) and, only when none is refused, applies the
  whole file in one transaction. The same file twice changes nothing; a period that overlaps an earlier
  version of itself (same staff member, other dates) replaces it. Progress is kept in the cache, so the
  page can show it while the transaction runs.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from entiteiten.models import Entiteit

from .. import absence_import as ai
from ..models import Afwezigheid, AfwezigheidImport
from .base import ActionContext, claim

Status = AfwezigheidImport.Status
CHUNK = 2000
MAX_STORED_ERRORS = 1000


def progress_key(import_id: int) -> str:
    return f"afwezigheden-import-{import_id}"


def progress(imp: AfwezigheidImport) -> tuple[int, int]:
    """(done, total) of a running import; from the cache while it runs, else from the record."""
    if imp.status == Status.BEZIG:
        done = cache.get(progress_key(imp.pk))
        if done is not None:
            return done, imp.totaal
    return imp.verwerkt, imp.totaal


def aanvragen(
    ctx: ActionContext, bestandsnaam: str, inhoud: str, alleen_entiteit: Entiteit | None
) -> AfwezigheidImport:
    with transaction.atomic():
        claim(ctx)
        lines = sum(1 for line in inhoud.splitlines()[1:] if line.strip())
        return AfwezigheidImport.objects.create(
            bestandsnaam=bestandsnaam[:200],
            inhoud=inhoud,
            aangevraagd_door=ctx.user if getattr(ctx.user, "is_authenticated", False) else None,
            alleen_entiteit=alleen_entiteit,
            totaal=lines,
        )


def verwerken(import_id: int, today: date | None = None) -> AfwezigheidImport:
    """Check and apply one upload. Safe to call twice: an import that is not waiting is left as it is."""
    today = today or timezone.localdate()
    with transaction.atomic():
        imp = AfwezigheidImport.objects.select_for_update().get(pk=import_id)
        if imp.status != Status.WACHTRIJ:
            return imp
        imp.status = Status.BEZIG
        imp.save(update_fields=["status"])
    codes = dict(Entiteit.objects.values_list("code", "pk"))
    codes_upper = {c.upper(): pk for c, pk in codes.items()}
    allowed = {imp.alleen_entiteit.code} if imp.alleen_entiteit_id else None
    result = ai.parse(imp.inhoud, set(codes), allowed, today)
    if not result.ok:
        imp.status = Status.GEWEIGERD
        imp.fouten = [[f.regel, f.veld, f.reden] for f in result.fouten[:MAX_STORED_ERRORS]]
        if len(result.fouten) > MAX_STORED_ERRORS:
            imp.fouten.append(
                [0, "", f"… en nog {len(result.fouten) - MAX_STORED_ERRORS} geweigerde regels."]
            )
        return _finish(imp)
    try:
        with transaction.atomic():
            counts = _apply(imp, result.periodes, codes_upper)
    except Exception as exc:  # noqa: BLE001 - nothing applied; the operator sees why
        imp.status = Status.MISLUKT
        imp.fouten = [[0, "", f"Het inlezen is mislukt: {exc.__class__.__name__}. Er is niets ingelezen."]]
        return _finish(imp)
    imp.status = Status.KLAAR
    imp.nieuw, imp.vervangen, imp.ongewijzigd = counts
    imp.verwerkt = len(result.periodes)
    imp.totaal = len(result.periodes)
    return _finish(imp)


def _finish(imp: AfwezigheidImport) -> AfwezigheidImport:
    imp.inhoud = ""  # the periods are in the database now (or nothing was); the file is not kept
    imp.klaar_op = timezone.now()
    imp.save()
    cache.delete(progress_key(imp.pk))
    return imp


def _apply(imp: AfwezigheidImport, periodes: list[ai.Periode], codes: dict[str, int]) -> tuple[int, int, int]:
    """Within the caller's transaction: (new, replaced, unchanged)."""
    by_entity: dict[int, list[ai.Periode]] = defaultdict(list)
    for p in periodes:
        by_entity[codes[p.entiteit]].append(p)
    new = replaced = unchanged = done = 0
    for entiteit_id, items in by_entity.items():
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            existing: dict[str, list[Afwezigheid]] = defaultdict(list)
            for a in Afwezigheid.objects.filter(
                entiteit_id=entiteit_id, personeelsnummer__in={p.personeelsnummer for p in chunk}
            ):
                existing[a.personeelsnummer].append(a)
            create, delete = [], []
            for p in chunk:
                overlapping = [a for a in existing[p.personeelsnummer] if ai.overlaps(a, p)]
                if (
                    len(overlapping) == 1
                    and overlapping[0].eerste_dag == p.eerste_dag
                    and overlapping[0].laatste_dag == p.laatste_dag
                ):
                    unchanged += 1
                    continue
                if overlapping:
                    replaced += 1
                    delete += [a.pk for a in overlapping]
                    # a corrected period keeps its signal: it is the same absence
                    kept = next((a for a in overlapping if a.gesignaleerd_op), None)
                else:
                    new += 1
                    kept = None
                create.append(
                    Afwezigheid(
                        entiteit_id=entiteit_id,
                        personeelsnummer=p.personeelsnummer,
                        eerste_dag=p.eerste_dag,
                        laatste_dag=p.laatste_dag,
                        bron=imp,
                        gesignaleerd_op=kept.gesignaleerd_op if kept else None,
                        signaal_opgelost_op=kept.signaal_opgelost_op if kept else None,
                    )
                )
            if delete:
                Afwezigheid.objects.filter(pk__in=delete).delete()
            Afwezigheid.objects.bulk_create(create)
            done += len(chunk)
            cache.set(progress_key(imp.pk), done, 3600)
    return new, replaced, unchanged
