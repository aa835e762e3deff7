"""Flee-compatible mode: read Flee conflict folders, run Flee's rules on corridor's engine,
score with Flee's validation metric."""
