"""One module per mechanism. Each phase declares its levers (unit, default, source) and
applies itself to the simulation once a day; :data:`US_MEXICO_PHASES` is the day's order."""
