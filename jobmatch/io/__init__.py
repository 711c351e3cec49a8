"""The jobmatch/1 interchange format (shared spec): reading problems, writing solutions."""

from .jsontext import read_json as read_json
from .problem import PROBLEM_FORMAT as PROBLEM_FORMAT
from .problem import load as load
from .solution import SOLUTION_FORMAT as SOLUTION_FORMAT
from .solution import dumps as dumps
from .solution import load_solution as load_solution
from .solution import solution_to_dict as solution_to_dict
