"""Which pages exist and which roles see them. Plain data, so it is tested without Streamlit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    slug: str
    file: str
    title_key: str
    icon: str
    roles: frozenset[str]

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "find", "find_services.py", "page.find", ":material/search:", frozenset({"caseworker"})
    ),
    PageSpec(
        "listings",
        "listings.py",
        "page.listings",
        ":material/list_alt:",
        frozenset({"coordinator", "admin"}),
    ),
    PageSpec(
        "referrals",
        "referrals.py",
        "page.referrals",
        ":material/send:",
        frozenset({"caseworker", "coordinator", "admin"}),
    ),
    # The file is not named coverage.py: a page script's folder comes first on sys.path, and
    # it would shadow a module of that name (the coverage.py tool, for one).
    PageSpec(
        "coverage",
        "coverage_gaps.py",
        "page.coverage",
        ":material/map:",
        frozenset({"partner", "admin"}),
    ),
    PageSpec("admin", "admin.py", "page.admin", ":material/shield:", frozenset({"admin"})),
    PageSpec(
        "account",
        "account.py",
        "page.account",
        ":material/person:",
        frozenset({"caseworker", "coordinator", "partner", "admin"}),
    ),
)
SIGN_IN = PageSpec("sign-in", "sign_in.py", "page.sign_in", ":material/login:", frozenset())


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]


def roles_for(slug: str) -> frozenset[str]:
    return next(p.roles for p in PAGES if p.slug == slug)
