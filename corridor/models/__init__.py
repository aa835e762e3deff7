"""The models that run on corridor's engine, one package per ruleset."""
