"""Printable 明白纸 (policy explanation sheets) filled from the year's policy parameters."""
