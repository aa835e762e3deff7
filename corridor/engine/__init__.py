"""The generic engine: agent state arrays, random streams, the day loop over phases."""
