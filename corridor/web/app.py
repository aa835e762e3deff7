"""The workbench's web server (Starlette): one page, its static files, and a small JSON API for the
map layers and the what-if jobs. Every asset ships in the package, so the page works offline."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from corridor.fit.compare import KEY_OUTPUTS
from corridor.report.events import event_marks
from corridor.report.map import CorridorMap
from corridor.results.dataset import save
from corridor.scenario.errors import ScenarioError
from corridor.web.catalogue import bargain_on, lever_groups
from corridor.web.whatif import Workbench

STATIC = Path(__file__).parent / "static"
TEMPLATES = Environment(loader=PackageLoader("corridor.web"), autoescape=select_autoescape())


def _lever_of(error: ScenarioError) -> str | None:
    """The lever a settings error is about ('a[Tijuana]' -> 'a'), so the page shows it next to it."""
    return error.key.split("[")[0] if error.key else None


def create_app(workbench: Workbench) -> Starlette:
    assembled = workbench.assembled
    scenario = assembled.scenario
    corridor_map = CorridorMap.of(scenario)
    page_data = {
        "scenario": scenario.config.name,
        "scale": workbench.scale,
        "members": len(workbench.seeds),
        "places": len(corridor_map.places),
        "routes": len(corridor_map.routes),
        "map": corridor_map.sizing(),
        "events": [mark.as_json() for mark in event_marks(scenario, with_record=bargain_on(assembled))],
    }
    groups = lever_groups(assembled)
    page = TEMPLATES.get_template("workbench.html").render(
        title=f"corridor workbench: {page_data['scenario']}",
        data=json.dumps(page_data),
        groups=groups,
        data_summary=page_data,
        map_svg=corridor_map.svg(),
    )

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page)

    async def layers(request: Request) -> JSONResponse:
        future = workbench.map_future
        if not future.done():
            return JSONResponse({"ready": False}, status_code=202)
        return JSONResponse({"ready": True, **future.result()})

    async def start(request: Request) -> JSONResponse:
        try:
            body = await request.json()
            sets = body.get("sets", []) if isinstance(body, dict) else None
            if not isinstance(sets, list) or not all(isinstance(item, str) for item in sets):
                raise ScenarioError("request", "cannot read the lever settings", expected="a list of lever=value")
            return JSONResponse({"job": workbench.start(sets)})
        except ScenarioError as error:
            return JSONResponse({"error": error.message(), "lever": _lever_of(error)}, status_code=400)
        except ValueError:
            return JSONResponse({"error": "request: the body is not JSON", "lever": None}, status_code=400)

    def _job(request: Request):
        return workbench.jobs.get(request.path_params["job"])

    async def status(request: Request) -> JSONResponse:
        job = _job(request)
        if job is None:
            return JSONResponse({"error": "no such what-if"}, status_code=404)
        return JSONResponse(
            {"status": job.status, "done": job.done, "total": job.total, "error": job.error, "result": job.result}
        )

    async def download(request: Request) -> Response:
        job = _job(request)
        if job is None or job.status != "done" or job.comparison is None:
            return PlainTextResponse("no finished what-if with this id", status_code=404)
        kind = request.path_params["kind"]
        if kind == "overrides.yaml":
            return PlainTextResponse(job.overrides_yaml(), media_type="application/yaml")
        if kind == "comparison.csv":
            monthly = job.comparison[list(KEY_OUTPUTS)]  # the route totals, without a time, stay in the NetCDF
            return PlainTextResponse(monthly.to_dataframe().to_csv(), media_type="text/csv")
        if kind == "comparison.nc":
            with tempfile.TemporaryDirectory() as folder:
                data = save(job.comparison, Path(folder) / kind).read_bytes()
            return Response(data, media_type="application/x-netcdf")
        return PlainTextResponse("unknown download", status_code=404)

    return Starlette(
        routes=[
            Route("/", index),
            Route("/api/layers", layers),
            Route("/api/whatif", start, methods=["POST"]),
            Route("/api/whatif/{job}", status),
            Route("/api/whatif/{job}/{kind}", download),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
    )
