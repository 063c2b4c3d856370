"""The pure scoring engine (考核评分引擎): scheme files in, explained scores, ranks and grades out.

No Django here. `fupin.assessment` wraps it for the command line, the API and the pages.

    catalogue = shipped_catalogue()
    scheme = catalogue.scheme("zhangwu-2020-team", options={"attendance_unit": "day"})
    run = score_run(scheme, {"subjects": [{"id": "t1", "findings": {"1": 3}}]})
    run.subject("t1").score   # Decimal("97.00") ... every indicator explained in run.subject("t1").indicators
"""

from .catalogue import Catalogue, shipped_catalogue, shipped_folder
from .errors import AssessmentError, InputError, Problem, SchemeError, UnknownScheme
from .explain import run_text, scheme_summary
from .grading import quota_counts
from .load import build, check_file, read_file
from .model import Indicator, Scheme
from .options import choose_options
from .results import IndicatorResult, RunResult, SubjectResult
from .score import score_run

__all__ = [
    "AssessmentError", "Catalogue", "Indicator", "IndicatorResult", "InputError", "Problem", "RunResult", "Scheme",
    "SchemeError", "SubjectResult", "UnknownScheme", "build", "check_file", "choose_options", "quota_counts",
    "read_file", "run_text", "scheme_summary", "score_run", "shipped_catalogue", "shipped_folder",
]
