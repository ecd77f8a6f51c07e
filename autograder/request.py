"""What the engine asks one grading process to do, typed, and its one serialised form at the process boundary."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class GradingRequest:
    """Grade ``tasks`` of the submission ``cells`` with the hidden grader at ``grader``."""

    cells: dict[str, str]       # grade_id -> source of the submission's solution cells
    order: dict[str, str]       # every code cell in notebook order (what the notebook runs top to bottom)
    tasks: tuple[str, ...]      # the tasks to grade, in order
    grader: str                 # path of the hidden grader (test_*.py)
    time_limits: dict[str, float] = field(default_factory=dict)  # task -> real seconds, from its first check
    public_files: tuple[str, ...] = ()  # modules shipped beside the release notebook: the jail gets a copy
    workdir: str | None = None  # the grading process's scratch folder (owned and removed by the parent)

    def to_json(self) -> str:
        """The request as it crosses to a spawned grading process (JSON on its standard input)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "GradingRequest":
        d = json.loads(text)
        return cls(dict(d["cells"]), dict(d["order"]), tuple(d["tasks"]), str(d["grader"]),
                   {t: float(s) for t, s in d["time_limits"].items()}, tuple(d["public_files"]), d["workdir"])
