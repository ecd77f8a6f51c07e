"""nbgrader configuration of the course: French stubs, timeouts, feedback without hidden tests."""
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, GetGrades,
                                    IgnorePattern, LimitOutput, SaveAutoGrades)

from autograder.nbgrader_execution import IsolatedExecution

c = get_config()  # noqa: F821 - injected by traitlets

c.CourseDirectory.course_id = "threads-python"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
# The gradebook: any SQLAlchemy URL works; `autograder batch` writes to the same one.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")

# Student stubs, in French.
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"

# `nbgrader autograde` never runs student code in a kernel: ExecutionIsolee takes the place of
# nbgrader's Execute and writes each test cell's output (messages, then the score nbgrader reads as
# partial credit) from the same sandboxed engine as `autograder grade`. The rest is nbgrader's default.
# AUTOGRADER_NBGRADER_NOYAU=1 keeps nbgrader's stock kernel execution (the benchmark's baseline; student
# cells then run unprotected in the kernel: never for grades that count).
if os.environ.get("AUTOGRADER_NBGRADER_NOYAU") != "1":
    c.Autograde.autograde_preprocessors = [IsolatedExecution, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                           SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]

# Kernels still run notebooks elsewhere (`nbgrader validate`, an instructor running the source): there
# a hidden test cell grades one task in a sandbox (up to ~20 s for real threads and processes).
c.Execute.timeout = 60
c.Execute.startup_timeout = 60

# Feedback must not show hidden tests: nbgrader keeps them in feedback by default (nbgrader issue #917).
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
