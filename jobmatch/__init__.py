"""jobmatch: pair youths with first jobs under the Danish rules for working minors.

Data in, data out: `load` a jobmatch/1 problem, `solve` it, `dumps` the solution.
"""

from .eligibility import Eligibility as Eligibility
from .eligibility import reasons_for as reasons_for
from .errors import JobmatchError as JobmatchError
from .errors import ProblemError as ProblemError
from .errors import SolverError as SolverError
from .errors import UnknownRulesError as UnknownRulesError
from .io import dumps as dumps
from .io import load as load
from .io import solution_to_dict as solution_to_dict
from .model import Assignment as Assignment
from .model import Objective as Objective
from .model import Opening as Opening
from .model import Problem as Problem
from .model import Reason as Reason
from .model import Shift as Shift
from .model import Solution as Solution
from .model import Status as Status
from .model import Unmatched as Unmatched
from .model import Youth as Youth
from .solver import solve as solve

__all__ = [
    "Assignment",
    "Eligibility",
    "JobmatchError",
    "Objective",
    "Opening",
    "Problem",
    "ProblemError",
    "Reason",
    "Shift",
    "Solution",
    "SolverError",
    "Status",
    "UnknownRulesError",
    "Unmatched",
    "Youth",
    "dumps",
    "load",
    "reasons_for",
    "solution_to_dict",
    "solve",
]
