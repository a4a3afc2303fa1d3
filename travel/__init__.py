"""Distance and travel time between places: the one seam matching and coverage share.

Pure (numpy only): no Streamlit, no SQL, no import from ``directory``. Today every leg is a
straight-line estimate and says so in ``Legs.method``; a road graph fills the same shape.
"""

from .legs import METHODS, STRAIGHT_LINE, Legs, Places, legs
from .straight_line import great_circle_km

__all__ = ["METHODS", "STRAIGHT_LINE", "Legs", "Places", "great_circle_km", "legs"]
