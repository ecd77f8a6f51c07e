"""LTI 1.3 AGS score posting against a local platform stand-in on 127.0.0.1 that checks token and payloads."""
from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from autograder.cli import MSG_LTI
from autograder.lms.lti import MSG_FAILURE, MSG_NO_ID, SCORE_SCOPE, TYPE_SCORE

from conftest import execute_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENT = "02-verrous"
CLIENT_ID = "outil-threads"
TOKEN = "jeton-d-acces-123"


class Platform:
    """A minimal LTI platform: client-credentials token endpoint and a line item's scores endpoint."""

    def __init__(self, public_key: bytes) -> None:
        self.public_key = public_key
        self.scores: list[dict] = []
        self.errors: list[str] = []
        self.fails_for: set[str] = set()
        self.refused_token = False
        platform = self

        class Handling(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/token":
                    platform.jeton(self, urllib.parse.parse_qs(body.decode()))
                elif self.path == "/lineitems/7/scores":
                    platform.score(self, body)
                else:
                    self.send_error(404)

        self.lti_server = HTTPServer(("127.0.0.1", 0), Handling)
        self.url = f"http://127.0.0.1:{self.lti_server.server_port}"
        threading.Thread(target=self.lti_server.serve_forever, daemon=True).start()

    def jeton(self, h, form):
        try:
            assert form["grant_type"] == ["client_credentials"]
            assert form["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
            assert SCORE_SCOPE in form["scope"][0].split()
            claims = jwt.decode(form["client_assertion"][0], self.public_key, algorithms=["RS256"],
                                audience=f"{self.url}/token")
            assert claims["iss"] == claims["sub"] == CLIENT_ID
        except Exception as e:  # noqa: BLE001 - recorded for the test
            self.errors.append(f"jeton: {e!r}")
            h.send_error(400)
            return
        if self.refused_token:
            h.send_error(401)
            return
        self.answer(h, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600})

    def score(self, h, body):
        try:
            assert h.headers["Authorization"] == f"Bearer {TOKEN}"
            assert h.headers["Content-Type"] == TYPE_SCORE
            donnees = json.loads(body)
            assert {"userId", "scoreGiven", "scoreMaximum", "activityProgress", "gradingProgress",
                    "timestamp"} <= set(donnees)
            assert donnees["gradingProgress"] == "FullyGraded" and donnees["activityProgress"] == "Completed"
        except Exception as e:  # noqa: BLE001
            self.errors.append(f"score: {e!r}")
            h.send_error(400)
            return
        if donnees["userId"] in self.fails_for:
            h.send_error(500)
            return
        self.scores.append(donnees)
        self.answer(h, {})

    @staticmethod
    def answer(h, donnees):
        raw = json.dumps(donnees).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(raw)))
        h.end_headers()
        h.wfile.write(raw)


@pytest.fixture
def installation(cours: Path):
    key_name = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (cours / "outil.pem").write_bytes(key_name.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    platform = Platform(key_name.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
    (cours / "lti.toml").write_text(f"""
[plateforme]
issuer = "{platform.url}"
client_id = "{CLIENT_ID}"
auth_token_url = "{platform.url}/token"
cle_privee = "outil.pem"

[lineitems]
"{ASSIGNMENT}" = "{platform.url}/lineitems/7"
""", encoding="utf-8")
    for etudiant, nb in [("u-1", "source"), ("u-2", "release"), ("u-3", "source")]:
        dest = cours / "submitted" / etudiant / ASSIGNMENT
        dest.mkdir(parents=True)
        (dest / f"{ASSIGNMENT}.ipynb").write_bytes((cours / nb / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes())
    assert execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=cours).returncode == 0
    yield cours, platform
    platform.lti_server.shutdown()


def test_a_note_by_student(installation):
    cours, platform = installation
    proc = execute_cli("lti", "--assignment", ASSIGNMENT, cwd=cours)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert platform.errors == []
    assert sorted((s["userId"], s["scoreGiven"], s["scoreMaximum"]) for s in platform.scores) == [
        ("u-1", 10.0, 10.0), ("u-2", 0.0, 10.0), ("u-3", 10.0, 10.0)]
    assert proc.stdout.splitlines()[-1] == MSG_LTI.format(envoyes=3, id=ASSIGNMENT, a_renvoyer=0)


def test_platform_in_failure_gives_a_list_to_return(installation):
    cours, platform = installation
    platform.fails_for = {"u-2"}
    proc = execute_cli("lti", "--assignment", ASSIGNMENT, cwd=cours)
    assert proc.returncode == 1
    file_path = cours / "exports" / f"{ASSIGNMENT}-lti-a-renvoyer.json"
    assert MSG_FAILURE.format(etudiant="u-2", raison="HTTP 500", fichier=file_path) in proc.stdout.splitlines(), proc.stdout
    to_resend = json.loads((cours / "exports" / f"{ASSIGNMENT}-lti-a-renvoyer.json").read_text(encoding="utf-8"))
    assert [(x["etudiant"], x["score"]["scoreGiven"]) for x in to_resend] == [("u-2", 0.0)]
    assert sorted(s["userId"] for s in platform.scores) == ["u-1", "u-3"]


def test_token_refused(installation):
    cours, platform = installation
    platform.refused_token = True
    proc = execute_cli("lti", "--assignment", ASSIGNMENT, cwd=cours)
    assert proc.returncode == 1 and platform.scores == []
    assert proc.stdout.count("note non envoyée (HTTP 401)") == 3


def test_identifiers_lti_of_table_users(installation):
    """Canvas's LTI user ids differ from its numeric ids: the table maps them, a missing one is not guessed."""
    cours, platform = installation
    with open(cours / "lti.toml", "a", encoding="utf-8") as f:
        f.write('\n[utilisateurs]\n"u-1" = "8f3c-aaaa"\n"u-2" = "8f3c-bbbb"\n')
    proc = execute_cli("lti", "--assignment", ASSIGNMENT, cwd=cours)
    assert proc.returncode == 1
    assert sorted((s["userId"], s["scoreGiven"]) for s in platform.scores) == [("8f3c-aaaa", 10.0), ("8f3c-bbbb", 0.0)]
    assert MSG_NO_ID.format(etudiant="u-3") in proc.stdout
    to_resend = json.loads((cours / "exports" / f"{ASSIGNMENT}-lti-a-renvoyer.json").read_text(encoding="utf-8"))
    assert [(x["etudiant"], x["score"]["scoreGiven"]) for x in to_resend] == [("u-3", 10.0)]
