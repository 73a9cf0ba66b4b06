"""Quarterly results in the browser: the quarter's list (best first, with 缺评说明), one person's breakdown
line by line, HR's 计算 button, and the .xlsx export."""


from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from kaohe.auth.permissions import Perm
from kaohe.clock import now
from kaohe.errors import Invalid, KaoheError
from kaohe.messages import t
from kaohe.quarterly import results, service
from kaohe.quarterly.models import QuarterPhase
from kaohe.scoring.quarterly import shown_lines
from kaohe.sheets import UploadBudget, parse_off_loop
from kaohe.web.deps import CurrentPrincipal, SessionDep, SettingsDep, requires
from kaohe.web.downloads import download_disposition
from kaohe.web.forms import attempt, done
from kaohe.web.inputs import Int, Page, Text, Year
from kaohe.web.templating import render

router = APIRouter(prefix="/quarterly")
Manager = requires(Perm.quarter_manage)
QuarterNo = Int(1, 12)
PER_PAGE = 50


def _context(db: SessionDep, principal: CurrentPrincipal, year: int, quarter: int, page: int = 1,
             **extra: object) -> dict[str, object]:
    cycle = service.find_cycle(db, year, quarter)
    label = service.quarter_label(year, quarter)
    rows = results.results_of(db, actor=principal, year=year, quarter=quarter)
    names = results.leaf_names(db, year) if rows else {}
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PER_PAGE
    return {"year": year, "quarter": quarter, "quarter_text": label, "cycle": cycle,
            "rows": [(rank, row, results.explain_flags(row, names, brief=True))
                     for rank, row in list(zip(results.ranks([r.quarterly_score for r in rows]), rows,
                                               strict=True))[start:start + PER_PAGE]],
            "total": len(rows), "page": page, "pages": pages, "args": {},
            "can_compute": principal.can(Perm.quarter_manage) and cycle is not None
            and cycle.phase in results.COMPUTABLE,
            "phase_label": service.phase_label, "Phase": QuarterPhase, **extra}


@router.get("/{year}/{quarter}/results")
def results_page(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Year,
                 quarter: QuarterNo, page: Page = 1) -> Response:
    return render(request, "quarterly_results/list.html", _context(db, principal, year, quarter, page))


@router.post("/{year}/{quarter}/compute")
def compute(request: Request, db: SessionDep, principal: Manager, year: Year,
            quarter: QuarterNo) -> Response:
    try:
        with attempt(db):
            results.compute_quarter(db, actor=principal, year=year, quarter=quarter, now=now())
    except KaoheError as exc:
        return render(request, "quarterly_results/list.html", _context(
            db, principal, year, quarter, error=exc.message, details=exc.details), status_code=exc.status_code)
    return done(f"/quarterly/{year}/{quarter}/results", "quarter_computed")


@router.get("/{year}/{quarter}/results.xlsx")
def export(db: SessionDep, principal: CurrentPrincipal, year: Year, quarter: QuarterNo) -> Response:
    rows = results.export_rows(db, actor=principal, year=year, quarter=quarter)
    name = t("quarterly_results.export_name", quarter=service.quarter_label(year, quarter))
    return Response(results.write_xlsx(rows),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": download_disposition(
                        name, fallback=f"quarter-{year}Q{quarter}.xlsx")})


@router.get("/{year}/{quarter}/results/{staff_id}")
def result_page(request: Request, db: SessionDep, principal: CurrentPrincipal, year: Year,
                quarter: QuarterNo, staff_id: Int(1, 2**31 - 1)) -> Response:
    row = results.result_of(db, actor=principal, year=year, quarter=quarter, staff_id=staff_id)
    names = results.leaf_names(db, year)
    return render(request, "quarterly_results/person.html", {
        "row": row, "year": year, "quarter": quarter, "quarter_text": service.quarter_label(year, quarter),
        "names": names, "notes": results.explain_flags(row, names),
        "lines": shown_lines(row.breakdown, float(row.indicator_score)),
        "record_part": results.two_places(row.breakdown.get("record_part")),
        "indicator_part": results.two_places(row.breakdown.get("indicator_part"))})


@router.get("/history")
def history_form(request: Request, principal: Manager) -> Response:
    return render(request, "quarterly_results/history.html", {})


@router.post("/history")
async def history_submit(request: Request, db: SessionDep, settings: SettingsDep, principal: Manager,
                         file: Annotated[UploadFile | None, File()] = None,
                         replace: Annotated[Text(5), Form()] = "") -> Response:
    try:
        with attempt(db):
            if file is None or not file.filename:
                raise Invalid(t("common.file_missing"))
            data = await file.read(settings.upload_max_bytes + 1)
            # The whole use case in a parser thread: reading the file is most of it (kaohe.sheets.offload).
            done_ = await parse_off_loop(UploadBudget.of(settings), results.import_history, db, actor=principal,
                                         data=data, filename=file.filename, replace=bool(replace), now=now())
    except KaoheError as exc:
        return render(request, "quarterly_results/history.html", {"error": exc.message, "details": exc.details},
                      status_code=exc.status_code)
    return render(request, "quarterly_results/history.html", {"notice": t(
        "quarterly_results.history.done", count=done_.count, people=done_.people, quarters=done_.quarters,
        replaced=done_.replaced)})
