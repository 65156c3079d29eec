"""WordPress import and export (WXR, the WordPress eXtended RSS format).

The UI and the command line use these names; everything else is internal.
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
