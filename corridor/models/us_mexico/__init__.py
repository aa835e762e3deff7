"""The US–Mexico corridor: departures, transit through Mexico, the border and US processing."""
