"""Command bodies for the CLI (the lead wires them into typer): import and validate Flee cases.

They print with rich and raise ScenarioError for bad input, which the CLI turns into exit 2.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from corridor.models import model_for_command
from corridor.models.flee.importer import import_flee, open_flee
from corridor.models.flee.metric import validate
from corridor.models.flee.report import write_validation_report
from corridor.models.flee.simulate import simulate_flee
from corridor.scenario.load import load_scenario


def cmd_import_flee(folder: Path, out: Path | None = None, flee_rules: str | None = None, force: bool = False) -> Path:
    """Import a Flee folder as a corridor scenario (default: ``./<folder name>_scenario``)."""
    out = out if out is not None else Path(f"{Path(folder).resolve().name}_scenario")
    path = import_flee(folder, out, flee_rules, force=force)
    Console().print(f"wrote [bold]{path}[/bold] (ruleset: flee)")
    return path


def cmd_validate_flee(
    folder_or_scenario: Path, seeds: int = 5, report: Path | None = None, flee_rules: str | None = None
) -> dict:
    """Run ``seeds`` seeds and print Flee's error per camp and overall (mean over seeds)."""
    if (Path(folder_or_scenario) / "scenario.yaml").is_file():  # a scenario folder: of which model?
        model_for_command("validate-flee", load_scenario(folder_or_scenario), folder_or_scenario)
    flee = open_flee(folder_or_scenario, flee_rules)
    runs = [simulate_flee(flee, seed=seed) for seed in range(seeds)]
    scores = [validate(ds) for ds in runs]
    camps = {
        camp: {kind: float(np.mean([s["camps"][camp][kind] for s in scores])) for kind in ("normal", "rescaled")}
        for camp in scores[0]["camps"]
    }
    mean = {
        "normal": float(np.mean([s["normal"] for s in scores])),
        "rescaled": float(np.mean([s["rescaled"] for s in scores])),
        "camps": camps,
    }
    table = Table(
        title=f"{flee.name} (Flee {flee.flee_rules} rules): Flee averaged relative difference, mean of {seeds} seeds"
    )
    for column in ("camp", "normal", "rescaled"):
        table.add_column(column, justify="left" if column == "camp" else "right")
    for camp, e in camps.items():
        table.add_row(camp, f"{e['normal']:.3f}", f"{e['rescaled']:.3f}")
    table.add_row("[bold]overall[/bold]", f"[bold]{mean['normal']:.3f}[/bold]", f"[bold]{mean['rescaled']:.3f}[/bold]")
    console = Console()
    console.print(table)
    if report is not None:
        write_validation_report(runs[0], report, flee, scores[0])
        console.print(f"report (seed 0): [bold]{report}[/bold]")
    return mean
