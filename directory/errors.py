"""Named errors raised by the directory core.

Each message says what went wrong and what to do. Pages and the CLI catch these and show
the message (translated where a key is given); no caller should ever show a traceback.
"""

from __future__ import annotations


class PunteError(Exception):
    """Base class for every error Punte raises on purpose."""


class ValidationError(PunteError, ValueError):
    """A field holds a value the model does not accept."""

    def __init__(self, field: str, message: str, row: int | None = None) -> None:
        self.field = field
        self.row = row
        self.message = message
        where = f"row {row}, " if row is not None else ""
        super().__init__(f"{where}{field}: {message}")


class NotFoundError(PunteError, LookupError):
    """The record asked for does not exist."""


class ConflictError(PunteError):
    """Someone else saved this record since it was loaded; reload and apply the change again."""

    def __init__(self, table: str, record_id: str, expected: int, actual: int) -> None:
        self.table = table
        self.record_id = record_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{table} {record_id} was changed by someone else (version {actual}, you edited "
            f"version {expected}). Reload it and apply your change again; nothing was saved."
        )


class GeocodeError(PunteError, LookupError):
    """A place name matched no locality; carries the closest suggestions.

    With ``county_name`` the query named a county and nothing inside it matched: the message
    says so, ``suggestions`` are near matches inside that county and ``elsewhere`` the places
    of that name in other counties.
    """

    def __init__(
        self,
        query: str,
        suggestions: list[str],
        *,
        county_name: str | None = None,
        elsewhere: list[str] | None = None,
    ) -> None:
        self.query = query
        self.suggestions = suggestions
        self.county_name = county_name
        self.elsewhere = elsewhere or []
        if county_name is None:
            hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
            super().__init__(
                f"No Romanian locality matches {query!r}. Check the spelling or add the county "
                f"(for example 'jud. Cluj').{hint}"
            )
            return
        near = f" Near matches in {county_name}: {', '.join(suggestions)}." if suggestions else ""
        other = (
            f" Places of that name in other counties: {', '.join(self.elsewhere)}."
            if self.elsewhere
            else ""
        )
        super().__init__(
            f"No locality in {county_name} matches {query!r}. Check the spelling and the county."
            f"{near}{other}"
        )


class DatabaseNotReadyError(PunteError):
    """The database file is missing or has no schema; run `python -m directory init`."""


class DatabaseNotEmptyError(PunteError):
    """The database already holds a directory; pass --replace to overwrite it."""


class AuthError(PunteError):
    """Sign-in failed; the message never says whether the username exists."""


class PermissionDeniedError(PunteError):
    """The signed-in user's role does not allow this action."""


class DuplicateReferralError(PunteError):
    """An open referral for the same case code and service exists; open it instead."""

    def __init__(self, existing_id: str) -> None:
        self.existing_id = existing_id
        super().__init__(
            f"An open referral for this case code and service exists ({existing_id}); "
            "open it instead of sending a second one."
        )


class PlanDuplicateError(PunteError):
    """Some services of a care plan already hold an open referral for this case; untick them."""

    def __init__(self, duplicates: tuple[tuple[str, str], ...]) -> None:
        self.duplicates = duplicates  # (service name, id of the open referral), plan order
        names = ", ".join(name for name, _ in duplicates)
        super().__init__(
            f"This case already has an open referral at: {names}. Untick those services "
            "or open the referrals instead; nothing was sent."
        )
