"""An independent validator of jobmatch-solution/1 documents against their problem.

Written apart from the solver and from `eligibility`: every hard rule of the spec
is checked again here in plain scalar Python, straight from the spec's text, so
that a bug on the fast path shows up as a violation instead of a wrong answer.
It trusts only the model, the rule table's data (`rules.rule_table`) and the
score's definition (`scoring.rank_points`, `scoring.buddy_score`). It keeps its
own great-circle distance and its own reading of the rule table
(`distance_km`, `youth_limits`) on purpose, and with them the spec's travel
tolerance; everyone else uses the library's `jobmatch.distance_km` and
`jobmatch.youth_limits`.

Rules are named by the spec's reason codes where one applies (`legal_hours`,
`rest`, ...) and otherwise by: `document`, `status`, `objective`, `bound`,
`score`, `missing_onboarding`, `unknown_youth`, `unknown_opening`, `duplicate`,
`positions`, `max_jobs`, `overlap`, `fixed`, `unmatched`, `reason_code`. An
`infeasible` document (the fixed pairs cannot all hold) is reported once, with
the rule the fixed pairs break together, or as wrong when they do hold; it need
not list the unplaced youths.
"""

from .document import REASON_CODES as REASON_CODES
from .document import check as check
from .pair_rules import distance_km as distance_km
from .pair_rules import pair_score as pair_score
from .pair_rules import pair_violations as pair_violations
from .pair_rules import youth_limits as youth_limits
from .violation import Violation as Violation
