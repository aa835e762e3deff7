"""Results: daily counters as an xarray Dataset, saved and loaded as NetCDF."""
