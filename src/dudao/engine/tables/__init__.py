"""The input tables: school base data (学校基础数据), county items (县级指标) and the template.

Reading is all-or-nothing. Every problem in a file is collected as an :class:`InputError` (sheet,
row as Excel shows it, column header as written, cell value, Chinese reason) and raised together as
:class:`InputErrors`; nothing partial is returned. Cells are read as text and converted column-wise
with polars expressions, so only bad cells cost Python work.

Modules: ``errors`` (InputError, InputErrors and the collector), ``sheets`` (raw sheets as text and
the conversion expressions), ``conventions`` (what reading and writing share), ``header`` and
``schools`` (the school table), ``county`` (county items), ``template`` and ``guide`` (writing).
"""

from __future__ import annotations

from dudao.engine.tables.conventions import (
    COUNTY_SHEET,
    GUIDE_SHEET,
    MANDATORY_INFO,
    NON_BLANK_INFO,
    PART_WHOLE,
    SCHOOLS_SHEET,
    TEMPLATE_ROWS,
    WAN,
    CountyValues,
)
from dudao.engine.tables.county import COUNTY_HEADERS, FALSE_WORDS, TRUE_WORDS, read_county_items
from dudao.engine.tables.errors import MAX_ERRORS, InputError, InputErrors
from dudao.engine.tables.schools import read_schools
from dudao.engine.tables.sheets import BLANKS
from dudao.engine.tables.template import write_template

__all__ = [
    "BLANKS",
    "COUNTY_HEADERS",
    "COUNTY_SHEET",
    "FALSE_WORDS",
    "GUIDE_SHEET",
    "MANDATORY_INFO",
    "MAX_ERRORS",
    "NON_BLANK_INFO",
    "PART_WHOLE",
    "SCHOOLS_SHEET",
    "TEMPLATE_ROWS",
    "TRUE_WORDS",
    "WAN",
    "CountyValues",
    "InputError",
    "InputErrors",
    "read_county_items",
    "read_schools",
    "write_template",
]
