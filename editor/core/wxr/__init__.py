"""WordPress import and export (WXR, the WordPress eXtended RSS format).

The UI and the command line use these names; everything else is internal.

Import (File → Import), off the UI thread, in one unit of work::

    with store.session_factory.begin() as session:
        report = import_wxr(session, path, progress=on_progress, spam_filter=shared_filter)

``on_progress(ImportProgress)`` is called on the importing thread (at most every
0.1 s, plus once per phase); return False from it to cancel. Cancelling
(``ImportCancelled``) and refusing the file (``WxrRefused``, with ``.line`` and
``.reason``) both raise, and leaving the ``begin()`` block by the exception
rolls everything back: the store is as it was. ``ImportReport.summary_lines()``
is the text to show afterwards.

Export (File → Export) only reads::

    with store.session_factory() as session:
        export = export_wxr(session, path, site_url="https://news.example.org")
"""

from editor.core.wxr.errors import WxrRefused
from editor.core.wxr.exporter import ExportReport, export_wxr
from editor.core.wxr.importer import import_wxr
from editor.core.wxr.report import (
    ImportCancelled,
    ImportPhase,
    ImportProgress,
    ImportReport,
    ProgressCallback,
)

__all__ = [
    "ExportReport",
    "ImportCancelled",
    "ImportPhase",
    "ImportProgress",
    "ImportReport",
    "ProgressCallback",
    "WxrRefused",
    "export_wxr",
    "import_wxr",
]
