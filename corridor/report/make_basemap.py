"""Write the country outlines under the maps of the workbench and the reports, once, from the npm package
world-atlas 2.0.2 (Natural Earth admin-0 countries, version 4.1.0, as TopoJSON):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m corridor.report.make_basemap package

basemap.json: the 1:50m outlines, only rings that reach into the Americas' corridor region, points thinned
to about 5 km. basemap_world.json: the 1:110m outlines of the whole world, for maps elsewhere (Flee's
conflicts). Natural Earth is in the public domain; world-atlas is under the ISC licence (BASEMAP_LICENSE.md).
Both files are small and nothing is fetched at run time."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REGION = {"lon": (-125.0, -55.0), "lat": (-10.0, 38.0)}  # west, east; south, north
WORLD = {"lon": (-180.0, 180.0), "lat": (-90.0, 90.0)}
MIN_STEP_DEGREES = 0.05
OUT = Path(__file__).with_name("basemap.json")
OUT_WORLD = Path(__file__).with_name("basemap_world.json")


def _decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's delta-encoded, quantised arcs as lon/lat points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _in_region(ring: list[tuple[float, float]], region: dict) -> bool:
    (west, east), (south, north) = region["lon"], region["lat"]
    return any(west <= lon <= east and south <= lat <= north for lon, lat in ring)


def _thinned(ring: list[tuple[float, float]]) -> list[list[float]]:
    kept = [ring[0]]
    for lon, lat in ring[1:]:
        if abs(lon - kept[-1][0]) + abs(lat - kept[-1][1]) >= MIN_STEP_DEGREES:
            kept.append((lon, lat))
    return [[round(lon, 2), round(lat, 2)] for lon, lat in kept]


def basemap(topology: dict, region: dict, scale: str) -> dict:
    arcs = _decoded_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        outlines = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        kept = [thinned for ring in outlines if _in_region(ring, region) and len(thinned := _thinned(ring)) >= 4]
        if kept:
            countries.append({"name": geometry["properties"]["name"], "rings": kept})
    return {
        "source": f"Natural Earth {scale} admin-0 countries v4.1.0 (public domain), via npm world-atlas 2.0.2",
        "region": region,
        "countries": countries,
    }


if __name__ == "__main__":
    package = Path(sys.argv[1])
    for out, source, region, scale in (
        (OUT, "countries-50m.json", REGION, "1:50m"),
        (OUT_WORLD, "countries-110m.json", WORLD, "1:110m"),
    ):
        out.write_text(
            json.dumps(basemap(json.loads((package / source).read_text()), region, scale), separators=(",", ":"))
        )
        print(f"wrote {out} ({out.stat().st_size:,} bytes)")
