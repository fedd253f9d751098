"""One module per operation; each reads top to bottom like the product spec."""
