"""Start the workbench: the address to listen on, a Dask cluster for the runs, the baseline members, and
the web server."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path

import uvicorn

from corridor.fit.backend import dask_client
from corridor.scenario.errors import ScenarioError
from corridor.web.app import create_app
from corridor.web.whatif import Workbench


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before the cluster starts: a port in use is refused at once, and no
    Dask worker can take the port meanwhile (they pick free ports of their own)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ScenarioError(
            "--port", f"cannot listen on {host}:{port} ({error.strerror})", found=port, expected="a free port"
        ) from None
    sock.listen()
    return sock


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
    with listening_socket(host, port) as sock, dask_client(scheduler, workers) as client:
        app = create_app(Workbench(scenario, client, scale, members))
        url = f"http://{host}:{port}/"
        print(f"corridor workbench: {url} (Ctrl+C to stop)", flush=True)
        if open_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
