"""Exceptions and warnings raised by regiongap.

Every exception subclasses :class:`RegiongapError` *and* the builtin it refines, so
``except ValueError`` in analyst code keeps working while ``except RegiongapError``
catches everything the library raises on purpose.
"""

from __future__ import annotations

__all__ = [
    "CacheError",
    "DataQualityWarning",
    "DatasetNotFoundError",
    "ExportError",
    "MembershipError",
    "MetricInputError",
    "OfflineError",
    "ParseError",
    "RegiongapError",
    "SchemaError",
    "SourceError",
]


class RegiongapError(Exception):
    """Base class of every error regiongap raises on purpose."""


class SourceError(RegiongapError, OSError):
    """A data source (mirror, Eurostat API, GISCO) could not deliver the data.

    Attributes
    ----------
    url : str or None
        The URL (or mirror file) that failed, when known.
    status : int or None
        The HTTP status of the answer, ``None`` when no answer came.
    """

    url: str | None = None
    status: int | None = None


class DatasetNotFoundError(SourceError, LookupError):
    """The source answered, and the dataset, file or code does not exist there."""


class OfflineError(SourceError):
    """The network is forbidden (``REGIONGAP_OFFLINE=1``) and nothing is cached."""


class SchemaError(RegiongapError, ValueError):
    """A frame or argument does not have the shape or values regiongap expects."""


class ParseError(SchemaError):
    """Raw bytes are not a well-formed Eurostat SDMX-TSV or SDMX-CSV file."""


class MembershipError(SchemaError):
    """A membership table breaks the registry's rules (lists every bad row)."""


class MetricInputError(RegiongapError, ValueError):
    """Values or weights given to a metric are outside its domain."""


class CacheError(RegiongapError, OSError):
    """A cache file is unreadable, corrupt, or was written by another schema version."""


class ExportError(RegiongapError, OSError):
    """A figure or report page could not be written as an image, SVG or PDF.

    Raised when the target folder cannot be written or when no Chromium (which
    draws the figures and prints the pages) is installed; the message says which
    and how to fix it.
    """


class DataQualityWarning(UserWarning):
    """The result is usable but the data behind it has gaps the analyst should know."""
