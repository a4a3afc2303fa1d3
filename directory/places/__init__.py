"""Places: the gazetteer of UATs and localities, address parsing, forward and reverse geocoding."""
