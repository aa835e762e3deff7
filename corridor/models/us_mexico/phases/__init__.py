"""One module per mechanism. Each phase declares its levers (unit, default, source) and
applies itself to the simulation once a day; :func:`corridor.models.us_mexico.model.us_mexico_phases` gives the day's order."""
