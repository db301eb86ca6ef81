"""One exception hierarchy for the notices; messages tell staff or IT what to fix."""

from __future__ import annotations


class NoticesError(Exception):
    """Base class of every error raised by :mod:`notices`."""


class TemplateFileError(NoticesError):
    """The city's letter template cannot be read or rendered."""


class RenderError(NoticesError):
    """The PDF could not be printed (chromium missing, crashed or too slow)."""
