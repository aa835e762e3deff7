"""The grouped arguments of the US–Mexico kernels: agent columns and world arrays, each a NamedTuple
that numba reads by field name, so a kernel cannot receive one array in another's place.

A phase calls its kernel as ``kernel(seed, day, agents(sim), phase.arrays, levers, counts)``, where the
levers are a NamedTuple of the lever values the kernel uses, declared next to it in the phase's module.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, NamedTuple, cast

import numpy as np
from numba import njit

from corridor.models.us_mexico.simulation import AGENT_SCHEMA
from corridor.models.us_mexico.world import Status, World
from corridor.scenario.schema import MODES

# every agent column of simulation.AGENT_SCHEMA, by the same names (which a type checker cannot read)
Agents: Any = cast(Any, namedtuple("Agents", tuple(AGENT_SCHEMA)))


@njit(cache=True)
def on_the_road(status) -> bool:
    """Whether an agent with this status is still travelling through Mexico: at a place, on a link or
    waiting in a border city (not detained, home, in the US or gone)."""
    return status == Status.AT_PLACE or status == Status.ON_LINK or status == Status.WAITING


def agents(sim) -> Agents:
    """The live agent columns of ``sim``, viewed (not copied): kernels change them in place."""
    return sim.state.columns(Agents)


class WorldArrays(NamedTuple):
    """The world's arrays the kernels read; fixed for a run."""

    route_from: np.ndarray  # place each route leaves from
    route_to: np.ndarray  # place each route arrives at
    route_mode: np.ndarray  # index into MODES
    route_flow: np.ndarray  # index into FLOWS
    route_km: np.ndarray
    place_sector: np.ndarray  # sector of a usbp_sector place, else -1
    place_is_border_city: np.ndarray
    port_of_city: np.ndarray  # the port route out of each border city, else -1
    group_home_place: np.ndarray
    decompression_places: np.ndarray
    graph_offsets: np.ndarray  # a place's routes out are graph_link_ids[graph_offsets[p] : graph_offsets[p + 1]]
    graph_link_ids: np.ndarray


def world_arrays(world: World) -> WorldArrays:
    port_of_city = np.full(len(world.place_names), -1, np.int64)
    ports = np.flatnonzero(world.route_mode == MODES.index("port"))
    port_of_city[world.route_from[ports]] = ports
    return WorldArrays(
        route_from=world.route_from,
        route_to=world.route_to,
        route_mode=world.route_mode,
        route_flow=world.route_flow,
        route_km=world.route_km,
        place_sector=world.place_sector,
        place_is_border_city=world.place_is_border_city,
        port_of_city=port_of_city,
        group_home_place=world.group_home_place,
        decompression_places=world.decompression_places,
        graph_offsets=world.graph.offsets,
        graph_link_ids=world.graph.link_ids,
    )
