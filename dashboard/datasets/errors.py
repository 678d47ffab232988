"""The errors of the dataset store, each a :class:`~dashboard.errors.UserError` with a plain message.

The CLI prints them on one line (exit status 2); the routes map them to HTTP statuses:
:class:`VersionNotFound` 404, :class:`Conflict` 409, :class:`DatasetInvalid` / :class:`PackageRefused` 422,
:class:`WebPublishingDisabled` / :class:`NotAuthorised` 403, :class:`StoreUnavailable` 503.
"""

from __future__ import annotations

from dashboard.errors import UserError
from dashboard.i18n import _


class DatasetError(UserError):
    """Base of every dataset-store error."""


class PackageRefused(DatasetError, ValueError):
    """The files do not form an acceptable package (names, sizes, descriptor), before any validation."""


class DatasetInvalid(DatasetError, ValueError):
    """The package failed the validator (the message names file, row, column and rule when it can)."""


class VersionNotFound(DatasetError, LookupError):
    """No dataset version with that id."""


class WorkspaceGone(DatasetError, LookupError):
    """No private workspace with that id: it never existed, was dropped, or expired."""


class Conflict(DatasetError):
    """The published pointer moved since the caller read it: someone else published meanwhile."""

    def __init__(self, expected: int, actual: int):
        self.expected = expected
        self.actual = actual
        super().__init__(
            _("someone else published meanwhile (generation {actual}, you saw {expected}); reload and retry").format(
                actual=actual, expected=expected)
        )


class NothingToRollBack(DatasetError):
    """A rollback with no earlier publication to go back to."""


class StoreFull(DatasetError):
    """The private workspaces together hold as much as the server allows; try again later."""


class StoreUnavailable(DatasetError):
    """The database could not be reached or used (details in the log and in ``__cause__``)."""


class NotAuthorised(DatasetError):
    """A web request without the admin token, or with a wrong one."""


class WebPublishingDisabled(NotAuthorised):
    """``MIPEXR_ADMIN_TOKEN`` is not set: the shared data cannot be changed through the web."""
