"""HTML feedback: every check with its verdict, student-controlled text escaped."""
from __future__ import annotations

from autograder.feedback import render_page
from autograder.results import Check, GradeResult, TaskResult


def test_return_escapes_text_of_student():
    r = GradeResult("02-verrous", 1.0, 4.0, [TaskResult("incrementer", 1.0, 4.0, [
        Check("seul", True), Check("sans course", False, "ValueError: <script>alert(1)</script>")])],
        ["Les cellules <b>modifiées</b> sont ignorées."])
    html = render_page(r, "élève<1>")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "élève&lt;1&gt;" in html and "&lt;b&gt;modifiées&lt;/b&gt;" in html
    assert html.count('class="ok"') == 1 and html.count('class="ko"') == 1
    assert "Note : 1 / 4" in html
