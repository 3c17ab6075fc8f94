"""The openpyxl edge of the campaign app, in three parts:

- `columns`: the interface: kinds of file, columns, labels and the sheet's layout;
- `cells` and `reading`: an uploaded workbook read safely into parsed rows and located errors;
- `writing`: the templates and exports.

Nothing here touches the database. Callers use the names below (`from campaign import xlsx`);
each is defined once, in its part.
"""

from .cells import CellValueError, parse_cell, parse_code
from .columns import (
    CODE_LABEL,
    COLUMNS,
    COUNT,
    COUNT_MAX,
    FIRST_DATA_ROW,
    HEADER_ROW,
    KIND_LABELS,
    MARKER_PREFIX,
    MONEY,
    MONEY_MAX,
    NAME_LABEL,
    PERCENT,
    RESULT_COLUMNS,
    RESULTS,
    TARGET_COLUMNS,
    TARGETS,
    XLSX_CONTENT_TYPE,
    Column,
    header_key,
    label_for,
    marker,
    normalize_label,
)
from .reading import (
    CellError,
    SheetRow,
    SheetTable,
    WorkbookRefused,
    check_file,
    format_int,
    max_rows,
    max_upload_bytes,
    read_table,
    sha256,
)
from .writing import (
    build_template,
    export_filename,
    export_reports,
    export_targets,
    safe_cell,
    template_filename,
)

__all__ = [
    "CODE_LABEL", "COLUMNS", "COUNT", "COUNT_MAX", "FIRST_DATA_ROW", "HEADER_ROW", "KIND_LABELS",
    "MARKER_PREFIX", "MONEY", "MONEY_MAX", "NAME_LABEL", "PERCENT", "RESULT_COLUMNS", "RESULTS",
    "TARGET_COLUMNS", "TARGETS", "XLSX_CONTENT_TYPE", "CellError", "CellValueError", "Column", "header_key",
    "SheetRow", "SheetTable", "WorkbookRefused", "build_template", "check_file", "export_filename",
    "export_reports", "export_targets", "format_int", "label_for", "marker", "max_rows",
    "max_upload_bytes", "normalize_label", "parse_cell", "parse_code", "read_table", "safe_cell",
    "sha256", "template_filename",
]
