"""jobmatch: pair youths with first jobs under the Danish rules for working minors.

Data in, data out: `load` a jobmatch/1 problem, `solve` it, `dumps` the solution.
Each `Reason` of an unplaced youth carries typed `facts` (see `jobmatch.facts`).
"""

from .clock import DAYS as DAYS
from .clock import age_on as age_on
from .clock import format_time as format_time
from .clock import parse_time as parse_time
from .clock import years_before as years_before
from .eligibility import Eligibility as Eligibility
from .eligibility import reasons_for as reasons_for
from .errors import ISSUE_CODES as ISSUE_CODES
from .errors import Issue as Issue
from .errors import JobmatchError as JobmatchError
from .errors import ProblemError as ProblemError
from .errors import SolverError as SolverError
from .errors import UnknownMethodError as UnknownMethodError
from .errors import UnknownRulesError as UnknownRulesError
from .explain import WhatIf as WhatIf
from .explain import what_would_place as what_would_place
from .facts import AlcoholServed as AlcoholServed
from .facts import Excluded as Excluded
from .facts import Facts as Facts
from .facts import Forbidden as Forbidden
from .facts import Holder as Holder
from .facts import Missing as Missing
from .facts import MoreTaken as MoreTaken
from .facts import NoOpenings as NoOpenings
from .facts import NotLightWork as NotLightWork
from .facts import NotLooking as NotLooking
from .facts import OutsideWindow as OutsideWindow
from .facts import OverHours as OverHours
from .facts import PairFacts as PairFacts
from .facts import PositionsTaken as PositionsTaken
from .facts import RuledOut as RuledOut
from .facts import ShortRest as ShortRest
from .facts import TooFar as TooFar
from .facts import TooManyDays as TooManyDays
from .facts import TooOld as TooOld
from .facts import TooYoung as TooYoung
from .facts import Unavailable as Unavailable
from .geo import TRAVEL_TOLERANCE_KM as TRAVEL_TOLERANCE_KM
from .geo import Location as Location
from .geo import distance_km as distance_km
from .io import dumps as dumps
from .io import load as load
from .io import load_solution as load_solution
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
from .placing import Refusal as Refusal
from .placing import placement_reasons as placement_reasons
from .placing import placement_refusals as placement_refusals
from .rules import Limits as Limits
from .rules import youth_limits as youth_limits
from .solver import METHODS as METHODS
from .solver import solve as solve
