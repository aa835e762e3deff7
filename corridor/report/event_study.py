"""Event-study figures: the simulated monthly path with the event (the scenario) and without it (the
counterfactual), over the same seeds, as medians with 90% bands, and the observed series where the
project holds one (its data end in September 2023)."""

from __future__ import annotations

import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from corridor.observed import sw_border_by_authority, sw_border_total


def observed_series(output: str) -> pd.Series | None:
    """The observed monthly counterpart of an output, or None where the data hold none."""
    if output == "swb_encounters":
        return sw_border_total().astype("float64")
    if output == "title8_share":
        by_authority = sw_border_by_authority()
        return by_authority["title8"] / by_authority.sum(axis=1)
    return None  # Mexico's figures are press totals over mixed periods, and effort is not observed


def event_study_figure(
    with_event: xr.Dataset,
    without_event: xr.Dataset,
    span: tuple[pd.Timestamp, pd.Timestamp],
    outputs: list[str],
    labels: dict[str, str],
    title: str,
) -> Figure:
    """One panel per output: both paths (median over ``seed``, 90% band) and the observed series."""
    figure = Figure(figsize=(8, 2.6 * len(outputs)), layout="constrained")
    axes = figure.subplots(len(outputs), 1, sharex=True, squeeze=False)[:, 0]
    for ax, output in zip(axes, outputs, strict=True):
        for ds, label, color in ((with_event, "with the event", "tab:blue"), (without_event, "without it", "tab:red")):
            path = ds[output].sel(time=slice(*span))
            times = path["time"].values
            ax.fill_between(
                times, path.quantile(0.05, "seed"), path.quantile(0.95, "seed"), color=color, alpha=0.2, linewidth=0
            )
            ax.plot(times, path.median("seed"), color=color, label=f"simulated, {label} (median, 90% band)")
        observed = observed_series(output)
        if observed is not None:
            observed = observed.loc[span[0] : span[1]]
            if not observed.empty:
                ax.plot(observed.index, observed.to_numpy(), "k.", label="observed")
        ax.set_title(labels[output], fontsize="medium")
    axes[0].legend(fontsize="x-small")
    figure.suptitle(title, fontsize="medium")
    return figure
