"""The worked example of docs/writing-a-scenario.md runs from the command line, and its what-if
moves crossings as the guide says: a crackdown in Reynosa sends people to Laredo instead."""

from pathlib import Path

from typer.testing import CliRunner

from corridor.cli import app
from corridor.results.dataset import load

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "small_corridor"


def _rio_grande_valley_share(out: Path, *sets: str) -> float:
    args = ["run", str(EXAMPLE), "--no-report", "--scale", "0.05", "--out", str(out)]
    for setting in sets:
        args += ["--set", setting]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "laredo" in result.output and "honduras" not in result.output  # only the scenario's groups and sectors
    late = load(out / "results.nc")["encounters"].sel(time=slice("2021-07-01", "2021-12-31"), component="usbp")
    by_sector = late.sum([d for d in late.dims if d != "sector"])
    return float(by_sector.sel(sector="rio_grande_valley") / by_sector.sum())


def test_reynosa_crackdown_moves_crossings_to_laredo(tmp_path):
    with_crackdown = _rio_grande_valley_share(tmp_path / "base")
    without = _rio_grande_valley_share(tmp_path / "calm", "border.city_enforcement[Reynosa]=1")
    assert with_crackdown < without - 0.2  # about 0.23 against 0.50 at the guide's settings
