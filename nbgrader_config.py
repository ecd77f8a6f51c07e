"""nbgrader configuration of the course: French stubs, timeouts, feedback without hidden tests."""
import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

c = get_config()  # noqa: F821 - injected by traitlets

c.CourseDirectory.course_id = "threads-python"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
# The gradebook: any SQLAlchemy URL works; `autograder batch` writes to the same one.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")

# Student stubs, in French.
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"

# One hidden test cell grades one task in a sandbox (up to ~20 s for real threads and processes);
# a student cell that loops forever is cut after 60 s instead of blocking the run.
c.Execute.timeout = 60
c.Execute.startup_timeout = 60

# Feedback must not show hidden tests: nbgrader keeps them in feedback by default (nbgrader issue #917).
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
