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
from autograder.lms.lti import MSG_ECHEC, MSG_SANS_ID, PORTEE_SCORE, TYPE_SCORE

from conftest import executer_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIR = "02-verrous"
CLIENT_ID = "outil-threads"
JETON = "jeton-d-acces-123"


class Plateforme:
    """A minimal LTI platform: client-credentials token endpoint and a line item's scores endpoint."""

    def __init__(self, cle_publique: bytes) -> None:
        self.cle_publique = cle_publique
        self.scores: list[dict] = []
        self.erreurs: list[str] = []
        self.echoue_pour: set[str] = set()
        self.refuse_jeton = False
        plateforme = self

        class Gestion(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                corps = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/token":
                    plateforme.jeton(self, urllib.parse.parse_qs(corps.decode()))
                elif self.path == "/lineitems/7/scores":
                    plateforme.score(self, corps)
                else:
                    self.send_error(404)

        self.serveur = HTTPServer(("127.0.0.1", 0), Gestion)
        self.url = f"http://127.0.0.1:{self.serveur.server_port}"
        threading.Thread(target=self.serveur.serve_forever, daemon=True).start()

    def jeton(self, h, form):
        try:
            assert form["grant_type"] == ["client_credentials"]
            assert form["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
            assert PORTEE_SCORE in form["scope"][0].split()
            claims = jwt.decode(form["client_assertion"][0], self.cle_publique, algorithms=["RS256"],
                                audience=f"{self.url}/token")
            assert claims["iss"] == claims["sub"] == CLIENT_ID
        except Exception as e:  # noqa: BLE001 - recorded for the test
            self.erreurs.append(f"jeton: {e!r}")
            h.send_error(400)
            return
        if self.refuse_jeton:
            h.send_error(401)
            return
        self.repondre(h, {"access_token": JETON, "token_type": "Bearer", "expires_in": 3600})

    def score(self, h, corps):
        try:
            assert h.headers["Authorization"] == f"Bearer {JETON}"
            assert h.headers["Content-Type"] == TYPE_SCORE
            donnees = json.loads(corps)
            assert {"userId", "scoreGiven", "scoreMaximum", "activityProgress", "gradingProgress",
                    "timestamp"} <= set(donnees)
            assert donnees["gradingProgress"] == "FullyGraded" and donnees["activityProgress"] == "Completed"
        except Exception as e:  # noqa: BLE001
            self.erreurs.append(f"score: {e!r}")
            h.send_error(400)
            return
        if donnees["userId"] in self.echoue_pour:
            h.send_error(500)
            return
        self.scores.append(donnees)
        self.repondre(h, {})

    @staticmethod
    def repondre(h, donnees):
        brut = json.dumps(donnees).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(brut)))
        h.end_headers()
        h.wfile.write(brut)


@pytest.fixture
def installation(cours: Path):
    cle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (cours / "outil.pem").write_bytes(cle.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    plateforme = Plateforme(cle.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
    (cours / "lti.toml").write_text(f"""
[plateforme]
issuer = "{plateforme.url}"
client_id = "{CLIENT_ID}"
auth_token_url = "{plateforme.url}/token"
cle_privee = "outil.pem"

[lineitems]
"{DEVOIR}" = "{plateforme.url}/lineitems/7"
""", encoding="utf-8")
    for etudiant, nb in [("u-1", "source"), ("u-2", "release"), ("u-3", "source")]:
        dest = cours / "submitted" / etudiant / DEVOIR
        dest.mkdir(parents=True)
        (dest / f"{DEVOIR}.ipynb").write_bytes((cours / nb / DEVOIR / f"{DEVOIR}.ipynb").read_bytes())
    assert executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=cours).returncode == 0
    yield cours, plateforme
    plateforme.serveur.shutdown()


def test_une_note_par_etudiant(installation):
    cours, plateforme = installation
    proc = executer_cli("lti", "--assignment", DEVOIR, cwd=cours)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert plateforme.erreurs == []
    assert sorted((s["userId"], s["scoreGiven"], s["scoreMaximum"]) for s in plateforme.scores) == [
        ("u-1", 10.0, 10.0), ("u-2", 0.0, 10.0), ("u-3", 10.0, 10.0)]
    assert proc.stdout.splitlines()[-1] == MSG_LTI.format(envoyes=3, id=DEVOIR, a_renvoyer=0)


def test_plateforme_en_panne_donne_une_liste_a_renvoyer(installation):
    cours, plateforme = installation
    plateforme.echoue_pour = {"u-2"}
    proc = executer_cli("lti", "--assignment", DEVOIR, cwd=cours)
    assert proc.returncode == 1
    fichier = cours / "exports" / f"{DEVOIR}-lti-a-renvoyer.json"
    assert MSG_ECHEC.format(etudiant="u-2", raison="HTTP 500", fichier=fichier) in proc.stdout.splitlines(), proc.stdout
    a_renvoyer = json.loads((cours / "exports" / f"{DEVOIR}-lti-a-renvoyer.json").read_text(encoding="utf-8"))
    assert [(x["etudiant"], x["score"]["scoreGiven"]) for x in a_renvoyer] == [("u-2", 0.0)]
    assert sorted(s["userId"] for s in plateforme.scores) == ["u-1", "u-3"]


def test_jeton_refuse(installation):
    cours, plateforme = installation
    plateforme.refuse_jeton = True
    proc = executer_cli("lti", "--assignment", DEVOIR, cwd=cours)
    assert proc.returncode == 1 and plateforme.scores == []
    assert proc.stdout.count("note non envoyée (HTTP 401)") == 3


def test_identifiants_lti_de_la_table_utilisateurs(installation):
    """Canvas's LTI user ids differ from its numeric ids: the table maps them, a missing one is not guessed."""
    cours, plateforme = installation
    with open(cours / "lti.toml", "a", encoding="utf-8") as f:
        f.write('\n[utilisateurs]\n"u-1" = "8f3c-aaaa"\n"u-2" = "8f3c-bbbb"\n')
    proc = executer_cli("lti", "--assignment", DEVOIR, cwd=cours)
    assert proc.returncode == 1
    assert sorted((s["userId"], s["scoreGiven"]) for s in plateforme.scores) == [("8f3c-aaaa", 10.0), ("8f3c-bbbb", 0.0)]
    assert MSG_SANS_ID.format(etudiant="u-3") in proc.stdout
    a_renvoyer = json.loads((cours / "exports" / f"{DEVOIR}-lti-a-renvoyer.json").read_text(encoding="utf-8"))
    assert [(x["etudiant"], x["score"]["scoreGiven"]) for x in a_renvoyer] == [("u-3", 10.0)]
