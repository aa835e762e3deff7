"""One module per mechanism. Each phase declares its levers (unit, default, source), the outputs it writes and
the day state it shares, and applies itself to the simulation once a day;
:data:`corridor.models.us_mexico.model.DAY` gives the day's order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from corridor.models.us_mexico.kernel_inputs import world_arrays

if TYPE_CHECKING:
    from corridor.engine.shared import Read
    from corridor.levers import Lever
    from corridor.models.us_mexico.world import World
    from corridor.results.outputs import Output


class Phase:
    """A mechanism of one simulated day: built once from the world, applied every day in the model's order.
    Subclasses declare what they read and write as class attributes, so the model can list its levers and
    outputs and check the day's order before any run."""

    name: ClassVar[str]
    LEVERS: ClassVar[Sequence[Lever]] = ()
    OUTPUTS: ClassVar[Sequence[Output]] = ()
    PRODUCES: ClassVar[tuple[str, ...]] = ()
    READS: ClassVar[tuple[Read, ...]] = ()

    def __init__(self, world: World) -> None:
        self.world = world
        self.arrays = world_arrays(world)  # what the kernels read of the world

    def apply(self, sim: Any, day: int) -> None:
        raise NotImplementedError
