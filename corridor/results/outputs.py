"""What an output means: its dimensions, unit, kind (flow, stock or state) and a one-line meaning.

A model declares its outputs with :class:`Output`; the results layer reads these declarations to
name, scale and describe every variable of the Dataset, so an output's meaning is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["flow", "stock", "state"]

# CF attributes of the coordinates that every model's results share
TIME_ATTRS = {"long_name": "simulated day", "standard_name": "time"}
LAT_ATTRS = {"long_name": "latitude", "standard_name": "latitude", "units": "degrees_north"}
LON_ATTRS = {"long_name": "longitude", "standard_name": "longitude", "units": "degrees_east"}


@dataclass(frozen=True)
class Output:
    """One result variable.

    ``kind``: a *flow* counts events per day (summed over a month), a *stock* counts people present at
    the end of a day (averaged or taken at the end of a month), a *state* is an index that is neither
    (averaged). Flows and stocks are in agents while the run lasts and divided by the scale into people
    at the results boundary; a state is not scaled.
    """

    name: str
    dims: tuple[str, ...]
    unit: str
    long_name: str
    kind: Kind

    @property
    def scaled(self) -> bool:
        """Whether the counter is in agents and must be divided by the scale into people."""
        return self.kind != "state"

    @property
    def cell_methods(self) -> str:
        """CF ``cell_methods``: a flow is a sum over each day, a stock or state a value at its end."""
        return "time: sum" if self.kind == "flow" else "time: point"

    @property
    def attrs(self) -> dict[str, str]:
        """The variable's CF attributes in the results file."""
        return {"units": self.unit, "long_name": self.long_name, "cell_methods": self.cell_methods}
