"""Shop connectors: the only package that speaks HTTP to a shop."""
