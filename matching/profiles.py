"""The five child profiles Punte must serve well (DESIGN.md §3), for the demo, tests and docs.

Points are the seats of the UATs named (from data/ro_uat.csv), not anybody's address.
"""

from __future__ import annotations

from .needs import Needs

BUCURESTI = (44.4268, 26.1025)

PROFILES: dict[str, Needs] = {
    # 15, from Vaslui, found in București: a shelter tonight, legal aid for the trial, counselling.
    "vaslui_girl": Needs(
        latitude=BUCURESTI[0], longitude=BUCURESTI[1], age=15, gender="female",
        languages=("ro", "rom"),
        needs=("shelter_emergency", "legal_aid", "psychological_counselling"),
        urgency="emergency", exploitation="sexual", origin_label="București",
    ),
    # 16, from Harghita, speaks only Hungarian, back from forced labour abroad.
    "harghita_boy": Needs(
        latitude=46.35, longitude=25.80, age=16, gender="male", languages=("hu",),
        needs=("shelter_emergency", "social_reintegration"), urgency="urgent",
        exploitation="labour", origin_label="Miercurea Ciuc",
    ),
    # 13, groomed and extorted online, living at home in Iași: no shelter, the plan starts home.
    "iasi_online": Needs(
        latitude=47.16667, longitude=27.6, age=13, gender="female", languages=("ro",),
        needs=("psychological_counselling", "legal_aid", "family_support"),
        urgency="urgent", exploitation="online_sexual", origin_label="Iași",
    ),
    # 17, a mother with her baby, repatriated through Otopeni.
    "otopeni_mother": Needs(
        latitude=44.55, longitude=26.06667, age=17, gender="female", languages=("ro",),
        needs=("shelter_residential", "medical", "repatriation"),
        requirements=("with_parent",), urgency="urgent", origin_label="Otopeni",
    ),
    # 14, unaccompanied, from Ukraine, at the Siret crossing; speaks Ukrainian.
    "siret_ukraine": Needs(
        latitude=47.95, longitude=26.06667, age=14, languages=("uk",),
        needs=("shelter_emergency", "legal_aid"), requirements=("unaccompanied",),
        urgency="emergency", origin_label="Siret",
    ),
}  # fmt: skip
