"""The time limit as a budget for the phases it covers, charged by deterministic estimates.

`time_limit_s` covers what comes after the flow: finding the components a flow cannot
solve exactly, bounding them and CP-SAT. Each of those phases asks the budget before it
starts and is charged what its size says it costs (seconds per pair or per cell,
measured on the benchmark's machine), never the wall clock: so the same problem and
options give the same solution however busy the machine is, and the wall time of the
phases stays about the limit. Reading, eligibility, the flow and the explanations do
not count; `solve` measures each and reports it in `stats`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Measured with bench/run.py on dense and sparse problems (2-core AMD EPYC, 2026-12).
FLOW_SECONDS_PER_PAIR = 2e-6  # one min-cost flow over a component, arrays included
SLACK_SECONDS_PER_PAIR = 7e-6  # exact cycle slacks by shortest paths
CONFLICT_SECONDS_PER_CELL = 2.5e-7  # one cell of a cross-job matrix worked out
COPY_SECONDS_PER_CELL = 5e-9  # one cell of a youth's matrix copied out of a shared one
REPAIR_SECONDS_PER_PAIR = 1.2e-7  # repairing, valuing and bounding a flow's choice
COMPONENT_SECONDS_PER_PAIR = 1e-7  # telling the components apart
MODEL_SECONDS_PER_PAIR = 5e-5  # building a CP-SAT model, per pair it decides
COLUMN_SECONDS_PER_PAIR = 3e-6  # the column bound of a dense component (the city: 2.9-3.3 s)
# CP-SAT's deterministic seconds per second of the limit: on these models CP-SAT spends
# 2 to 3 wall seconds per deterministic second on a 2-core machine.
WORK_PER_SECOND = 1 / 3


@dataclass(slots=True)
class Budget:
    """What is left of the time limit, in estimated seconds."""

    seconds: float
    spent: float = 0.0
    short: bool = False  # some phase was cut short or skipped for want of time

    @property
    def left(self) -> float:
        return max(self.seconds - self.spent, 0.0)

    def affords(self, cost: float) -> bool:
        """Whether a phase estimated at `cost` seconds fits; if not, the budget is short."""
        if cost <= self.left:
            return True
        self.fall_short()
        return False

    def fall_short(self) -> None:
        """Record that a phase was cut short or skipped for want of time."""
        self.short = True

    def charge(self, cost: float) -> None:
        self.spent += cost

    def absorb(self, part: Budget) -> None:
        """Charge what a share of this budget (`Budget(some seconds)`) spent."""
        self.spent += part.spent
        self.short |= part.short

    def cp_work(self, share: float = 1.0) -> float:
        """CP-SAT's deterministic time for `share` of what is left."""
        return self.left * share * WORK_PER_SECOND

    def charge_cp(self, work: float) -> None:
        """Charge the deterministic time CP-SAT used."""
        self.spent += work / WORK_PER_SECOND
