"""Any input file to a Grid: preflight by content, then one reader per format."""
