"""One error family. Every error a user can meet is a `KGError`: it carries one plain sentence (`message`),
the exit status the command line returns (`exit_status`) and the HTTP status the web app answers
(`http_status`). `kg.cli` and `kg.web.app` each map them in one place; nothing else sorts errors by class.
"""

from __future__ import annotations

from typing import Any

USAGE, FAILURE = 2, 1  # exit statuses: the command line was wrong / the command failed


class KGError(Exception):
    exit_status = FAILURE
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CliError(KGError):
    """A one-sentence error for stderr, with its exit status."""

    def __init__(self, message: str, status: int = FAILURE) -> None:
        super().__init__(message)
        self.status = self.exit_status = status


class ConfigError(KGError, ValueError):
    """A setting has a value that cannot be used (e.g. PORT=abc)."""

    exit_status, http_status = USAGE, 500


class DataError(KGError):
    """An input file that cannot be read or parsed; `message` is one sentence ("data/x.ttl line 12: …")."""


class ValidationFailed(KGError):
    """The data does not conform to the shapes (or is inconsistent under OWL-RL); `report` says where."""

    def __init__(self, report: Any) -> None:
        super().__init__(f"the data does not conform: {report.count()} violation(s)")
        self.report = report


class QueryLoadError(KGError):
    """A stored query file that cannot be used; `message` names the file."""


class UnknownQueryError(KGError, LookupError):
    """No stored query has this name; `suggestions` are the closest names."""

    exit_status, http_status = USAGE, 404

    def __init__(self, name: str, suggestions: tuple[str, ...]) -> None:
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown query {name!r}{hint}")
        self.name, self.suggestions = name, suggestions


class ParamError(KGError, ValueError):
    """A parameter value that cannot be used: `message` names the parameter (and its type); `suggestions`
    are the closest values it may take, when known (`kg.query.params.Choice`)."""

    exit_status, http_status = USAGE, 400

    def __init__(self, name: str, message: str, suggestions: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.name = name
        self.suggestions = suggestions


class QueryError(KGError):
    """A query that cannot be answered: ``status`` is the HTTP status, ``message`` one plain sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = self.http_status = status

    def __repr__(self) -> str:
        return f"QueryError({self.status}, {self.message!r})"


def explain(exc: BaseException) -> tuple[str, int]:
    """The sentence and exit status for any failure a command can meet."""
    if isinstance(exc, KGError):
        return exc.message, exc.exit_status
    return f"unexpected error ({type(exc).__name__}: {exc}); run again with --debug for details", FAILURE
