"""Distance and travel time between places: the one seam matching and coverage share.

Pure (numpy and scipy): no Streamlit, no SQL, no import from ``directory``. Every leg says how
it was obtained in ``Legs.method``: by road over a graph passed in, or a straight-line estimate.
"""

from .legs import METHODS, ROAD_METHOD, STRAIGHT_LINE, Legs, Places, RoadAccess, legs
from .straight_line import great_circle_km

__all__ = [
    "METHODS", "ROAD_METHOD", "STRAIGHT_LINE", "Legs", "Places", "RoadAccess",
    "great_circle_km", "legs",
]  # fmt: skip
