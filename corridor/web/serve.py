"""Start the workbench: a Dask cluster for the runs, the baseline members, and the web server."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import uvicorn

from corridor.fit.backend import dask_client
from corridor.web.app import create_app
from corridor.web.whatif import Workbench


def serve(
    scenario: Path,
    scale: float | None,
    members: int,
    workers: int,
    host: str,
    port: int,
    open_browser: bool,
    scheduler: str | None = None,
) -> None:
    """Serve until interrupted; the baseline starts running on the cluster before the first request."""
    with dask_client(scheduler, workers) as client:
        app = create_app(Workbench(scenario, client, scale, members))
        url = f"http://{host}:{port}/"
        print(f"corridor workbench: {url} (Ctrl+C to stop)", flush=True)
        if open_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.run(app, host=host, port=port, log_level="warning")
