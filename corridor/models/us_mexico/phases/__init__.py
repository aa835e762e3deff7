"""One module per mechanism. Each phase declares its levers (unit, default, source), the outputs it writes and
the day state it shares, and applies itself to the simulation once a day;
:data:`corridor.models.us_mexico.model.DAY` gives the day's order."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from corridor.models.us_mexico.kernel_inputs import world_arrays

if TYPE_CHECKING:
    from corridor.engine.shared import Read
    from corridor.levers import Lever, ParameterSet
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


Value = TypeVar("Value")


class LeverMemo(Generic[Value]):
    """A value a phase derives from lever values (and hashable arguments such as today's effort), kept until
    one of the levers it read or an argument changes. Levers change only on policy events and during ramps,
    so most days reuse yesterday's value instead of redoing the numpy work. Which levers it read is recorded
    (``ParameterSet.recording``) while it is computed, so it cannot miss one; for that reason it must not be
    called inside another recording. The value is shared between days: read it, do not change it."""

    def __init__(self, compute: Callable[..., Value]) -> None:
        self._compute = compute
        self._reads: tuple[str, ...] = ()
        self._key: tuple | None = None
        self._value: Value | None = None

    def __call__(self, params: ParameterSet, *arguments: Hashable) -> Value:
        if self._key != (arguments, params.fingerprint(self._reads)):
            with params.recording() as reads:
                self._value = self._compute(params, *arguments)
            self._reads = tuple(sorted(reads))
            self._key = (arguments, params.fingerprint(self._reads))
        return self._value  # type: ignore[return-value]
