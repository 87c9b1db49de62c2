"""check, merge and export as functions that return results; no printing."""
