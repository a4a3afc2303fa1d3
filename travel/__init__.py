"""Distance and travel time between places: the one seam matching and coverage share."""
