"""Grid to Return: find the official labels, recognise the vintage, normalise values."""
