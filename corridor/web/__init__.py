"""The analyst's workbench: ``corridor serve`` opens a local web page with a map of the corridor,
the scenario's levers and what-if runs against the baseline (paired seeds, on the Dask backend)."""
