"""Return(s) to Findings: pandera value schemas derived from the form and the rule engine."""
