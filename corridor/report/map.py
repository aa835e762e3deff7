"""The corridor's map as SVG, one drawing for the workbench and the reports: Natural Earth country
outlines (shipped with the package: ``basemap.json`` at 1:50m for the Americas, ``basemap_world.json``
at 1:110m for places elsewhere, such as Flee's conflicts), the scenario's routes coloured by mode and a
marker per place, in one equirectangular projection around the places. The workbench's script
animates the route widths and circles of this frame month by month; the run report draws them once
with totals over the reported period."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from matplotlib.colors import to_hex

from corridor.report.style import distinct_colors

BASEMAP = Path(__file__).with_name("basemap.json")  # detailed, within its "region"
WORLD_BASEMAP = Path(__file__).with_name("basemap_world.json")
PAD_DEGREES = 2.0  # margin around the places
# sizes as fractions of the map's width: a route's width is BASE + EXTRA × value / largest, a
# circle's radius is BUBBLE × sqrt(value / largest) (area proportional to the value)
ROUTE_BASE_WIDTH, ROUTE_EXTRA_WIDTH, BUBBLE_RADIUS, MARKER_RADIUS = 1 / 900, 1 / 80, 1 / 40, 1 / 350
STYLE = (  # scoped to the map's id (an inline SVG's style applies to the whole page); strokes in user units
    "#{id}{{background:#dde9f2}}#{id} .country{{fill:#f6f4ee;stroke:#aaa;stroke-width:{outline}}}"
    "#{id} .route{{stroke-linecap:round;opacity:0.75}}#{id} .place{{fill:#333}}"
    "#{id} .bubble{{fill:#d95f02;fill-opacity:0.45;stroke:#a34400;stroke-width:{outline}}}"
)
OUTLINE_WIDTH = 1 / 600


@cache
def _basemap_file(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _countries(lons: tuple[float, float], lats: tuple[float, float]) -> list[dict]:
    """The detailed outlines where the map lies within their region, the world's elsewhere."""
    detailed = _basemap_file(BASEMAP)
    (west, east), (south, north) = detailed["region"]["lon"], detailed["region"]["lat"]
    inside = west <= lons[0] and lons[1] <= east and south <= lats[0] and lats[1] <= north
    return (detailed if inside else _basemap_file(WORLD_BASEMAP))["countries"]


def route_name(origin: str, destination: str, mode: str) -> str:
    """A route's name in the results' ``route`` coordinate."""
    return f"{origin}->{destination} ({mode})"


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class MapPlace:
    name: str
    kind: str
    lat: float
    lon: float


@dataclass(frozen=True)
class MapRoute:
    name: str
    origin: str
    destination: str
    mode: str


@dataclass(frozen=True)
class Sizes:
    """One value per route (line widths) and per place (circle areas), with what they count for the
    tooltips; a missing name draws at the smallest size, and with ``routes`` None every route does
    (a model that does not count people by route)."""

    routes: dict[str, float] | None
    places: dict[str, float]
    route_unit: str
    place_unit: str
    route_notes: dict[str, str] | None = None  # appended to a route's tooltip (a comparison's other side)


@dataclass(frozen=True)
class CorridorMap:
    """The places and routes of a scenario, and their projection onto the SVG's user units."""

    places: tuple[MapPlace, ...]
    routes: tuple[MapRoute, ...]

    @classmethod
    def of(cls, scenario) -> CorridorMap:
        """From a loaded scenario's places and routes."""
        places = tuple(MapPlace(p.name, p.kind, p.lat, p.lon) for p in scenario.places)
        routes = tuple(MapRoute(route_name(r.from_, r.to, r.mode), r.from_, r.to, r.mode) for r in scenario.routes)
        return cls(places, routes)

    @property
    def _cos_lat(self) -> float:
        lats = [place.lat for place in self.places]
        return math.cos(math.radians((min(lats) + max(lats)) / 2))

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self._cos_lat, -lat

    def view_box(self) -> tuple[float, float, float, float]:
        """x, y, width, height around the places with PAD_DEGREES to spare."""
        lons, lats = [p.lon for p in self.places], [p.lat for p in self.places]
        x0, y0 = self.project(min(lons) - PAD_DEGREES, max(lats) + PAD_DEGREES)
        x1, y1 = self.project(max(lons) + PAD_DEGREES, min(lats) - PAD_DEGREES)
        return x0, y0, x1 - x0, y1 - y0

    def mode_colours(self) -> dict[str, str]:
        """A colour per mode, no two alike (the figures' colours), in the order the routes first use them."""
        modes = list(dict.fromkeys(route.mode for route in self.routes))
        return {mode: to_hex(colour) for mode, colour in zip(modes, distinct_colors(len(modes)), strict=True)}

    def passing(self, route_people: dict[str, float]) -> dict[str, float]:
        """People passing each place: those arriving by its routes in or leaving by its routes out,
        whichever is larger (an origin only sends, a border sector only receives)."""
        arriving = dict.fromkeys((place.name for place in self.places), 0.0)
        leaving = dict(arriving)
        for route in self.routes:
            people = route_people.get(route.name, 0.0)
            leaving[route.origin] += people
            arriving[route.destination] += people
        return {name: max(arriving[name], leaving[name]) for name in arriving}

    def _basemap(self, box: tuple[float, float, float, float]) -> str:
        x, y, width, height = box
        lons, lats = [p.lon for p in self.places], [p.lat for p in self.places]
        paths = []
        for country in _countries((min(lons), max(lons)), (min(lats), max(lats))):
            rings = [[self.project(lon, lat) for lon, lat in ring] for ring in country["rings"]]
            rings = [
                ring
                for ring in rings
                if any(x - width <= px <= x + 2 * width and y - height <= py <= y + 2 * height for px, py in ring)
            ]
            if rings:
                d = "".join("M" + "L".join(f"{_number(px)},{_number(py)}" for px, py in ring) + "Z" for ring in rings)
                paths.append(f'<path class="country" d="{d}"><title>{escape(country["name"])}</title></path>')
        return '<g id="basemap">' + "".join(paths) + "</g>"

    def svg(self, sizes: Sizes | None = None, element_id: str = "map", label: str = "map of the corridor") -> str:
        """The map as an inline ``<svg>``: the outlines, a line per route (``data-route``), a circle per
        place sized by ``sizes`` (``data-place``; radius 0 without sizes) and a marker per place."""
        box = self.view_box()
        span = box[2]
        colours = self.mode_colours()
        at = {place.name: self.project(place.lon, place.lat) for place in self.places}
        routes = sizes.routes if sizes else None
        top_route = max([1e-9, *routes.values()]) if routes else 1.0
        top_place = max([1e-9, *sizes.places.values()]) if sizes else 1.0
        lines = []
        for route in sorted(self.routes, key=lambda r: -(routes.get(r.name, 0.0) if routes else 0.0)):
            (ax, ay), (bx, by) = at[route.origin], at[route.destination]
            value = routes.get(route.name, 0.0) if routes else 0.0
            width = span * (ROUTE_BASE_WIDTH + ROUTE_EXTRA_WIDTH * value / top_route)
            tooltip = route.name
            if sizes and routes is not None:
                tooltip += f": {value:,.0f} {sizes.route_unit}{(sizes.route_notes or {}).get(route.name, '')}"
            lines.append(
                f'<line class="route" data-route="{escape(route.name)}" x1="{_number(ax)}" y1="{_number(ay)}" '
                f'x2="{_number(bx)}" y2="{_number(by)}" stroke="{colours[route.mode]}" '
                f'stroke-width="{_number(width)}"><title>{escape(tooltip)}</title></line>'
            )
        bubbles, markers = [], []
        for place in self.places:
            x, y = (_number(value) for value in at[place.name])
            value = sizes.places.get(place.name, 0.0) if sizes else 0.0
            radius = span * BUBBLE_RADIUS * math.sqrt(value / top_place)
            tooltip = f"{place.name}: {value:,.0f} {sizes.place_unit}" if sizes else place.name
            bubbles.append(
                f'<circle class="bubble" data-place="{escape(place.name)}" cx="{x}" cy="{y}" r="{_number(radius)}">'
                f"<title>{escape(tooltip)}</title></circle>"
            )
            markers.append(
                f'<circle class="place" data-place="{escape(place.name)}" cx="{x}" cy="{y}" '
                f'r="{_number(span * MARKER_RADIUS)}"><title>{escape(f"{place.name} ({place.kind})")}</title></circle>'
            )
        style = STYLE.format(id=element_id, outline=_number(span * OUTLINE_WIDTH))
        return (
            f'<svg id="{element_id}" xmlns="http://www.w3.org/2000/svg" viewBox="{" ".join(map(_number, box))}" '
            f'role="img" aria-label="{escape(label)}"><style>{style}</style>'
            f"{self._basemap(box)}"
            f'<g id="routes">{"".join(lines)}</g><g id="bubbles">{"".join(bubbles)}</g>'
            f'<g id="places">{"".join(markers)}</g>'
            "</svg>"
        )

    def sizing(self) -> dict:
        """What the workbench's script needs to size the frame's routes and circles as :meth:`svg` does."""
        return {
            "modes": self.mode_colours(),
            "route_width": [ROUTE_BASE_WIDTH, ROUTE_EXTRA_WIDTH],
            "bubble_radius": BUBBLE_RADIUS,
        }
