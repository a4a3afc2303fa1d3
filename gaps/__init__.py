"""Coverage gaps: how far each UAT's people live from the nearest provider of each type.

Pure: numpy, pandas and scipy, plus the travel seam. No Streamlit, no SQL, no storage. Callers
pass supply points that the viewer may see (generalised for confidential sites), so no figure
can place a hidden site more precisely than its UAT.
"""

from .analysis import Coverage, analyse
from .model import Demand, Supply
from .sites import Pick, greedy_sites, reach_matrix

__all__ = ["Coverage", "Demand", "Pick", "Supply", "analyse", "greedy_sites", "reach_matrix"]
