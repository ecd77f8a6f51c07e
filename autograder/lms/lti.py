"""LTI 1.3 Assignment and Grade Services: post each student's score to an LMS line item (pylti1p3 for OAuth2)."""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import requests
from nbgrader.api import Gradebook
from pylti1p3.exception import LtiServiceException
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector

from ..assignment import Assignment, AssignmentError
from .export import notes

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
TYPE_SCORE = "application/vnd.ims.lis.v1.score+json"
MSG_CONFIG = "Configuration LTI invalide dans {fichier} : {raison}"
MSG_FAILURE = "{etudiant} : note non envoyée ({raison}) ; elle est dans la liste à renvoyer {fichier}"
MSG_NO_ID = "identifiant LTI inconnu : ajoutez « {etudiant} » à la table [utilisateurs] de lti.toml"


@dataclass
class Passback:
    sent: list[str] = field(default_factory=list)
    to_resend: list[dict] = field(default_factory=list)
    journal: list[str] = field(default_factory=list)


@dataclass
class ConfigLTI:
    registration: Registration
    lineitem: str
    utilisateurs: dict[str, str] | None  # nbgrader id -> LTI user id; None: the ids are the same


def load_config(file_path: Path, assignment: Assignment) -> ConfigLTI:
    """lti.toml: [plateforme] issuer, client_id, auth_token_url, cle_privee (path), kid; [lineitems] <id> = URL;
    optional [utilisateurs] <nbgrader id> = <LTI user id> (Canvas's LTI ids are not its numeric user ids)."""
    try:
        conf = tomllib.loads(file_path.read_text(encoding="utf-8"))
        p = conf["plateforme"]
        key_name = (file_path.parent / p["cle_privee"]).read_text(encoding="utf-8")
        lineitem = conf["lineitems"][assignment.id]
        utilisateurs = conf.get("utilisateurs")
        if utilisateurs is not None and not all(isinstance(v, str) for v in utilisateurs.values()):
            raise KeyError("[utilisateurs] : chaque valeur doit être une chaîne")
    except (OSError, KeyError, tomllib.TOMLDecodeError) as e:
        raise AssignmentError(MSG_CONFIG.format(fichier=file_path, raison=f"{type(e).__name__}: {e}")) from None
    reg = (Registration().set_issuer(p["issuer"]).set_client_id(p["client_id"])
           .set_auth_token_url(p["auth_token_url"]).set_tool_private_key(key_name))
    if p.get("kid"):
        reg.set_kid(p["kid"])
    if p.get("auth_audience"):
        reg.set_auth_audience(p["auth_audience"])
    return ConfigLTI(reg, lineitem, utilisateurs)


def payload(user: str, score: float, maximum: float, comment: str = "") -> dict:
    donnees = {"userId": user, "scoreGiven": score, "scoreMaximum": maximum,
               "activityProgress": "Completed", "gradingProgress": "FullyGraded",
               "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds")}
    if comment:
        donnees["comment"] = comment
    return donnees


def send(root: Path, assignment: Assignment, file_config: Path, url_gradebook: str,
            session: requests.Session | None = None) -> Passback:
    """POST one score per graded student; every failure goes to a retry list, none is dropped."""
    config = load_config(file_config, assignment)
    reg, lineitem = config.registration, config.lineitem
    connector = ServiceConnector(reg, session)
    passback = Passback()
    retry = root / "exports" / f"{assignment.id}-lti-a-renvoyer.json"
    with Gradebook(url_gradebook) as gb:
        lignes = notes(gb, assignment)
    for line in lignes:
        if config.utilisateurs is None:
            user = line["id"]
        elif line["id"] in config.utilisateurs:
            user = config.utilisateurs[line["id"]]
        else:  # never guess: a score posted to the wrong user is worse than one posted late
            donnees = payload("", line["total"], assignment.points_total)
            _failure(passback, line["id"], donnees, MSG_NO_ID.format(etudiant=line["id"]), retry)
            continue
        donnees = payload(user, line["total"], assignment.points_total)
        try:
            connector.make_service_request([SCORE_SCOPE], lineitem.rstrip("/") + "/scores", is_post=True,
                                            data=json.dumps(donnees), content_type=TYPE_SCORE)
            passback.sent.append(line["id"])
        except LtiServiceException as e:
            reason = f"HTTP {e.response.status_code}" if getattr(e, "response", None) is not None else str(e)
            _failure(passback, line["id"], donnees, reason, retry)
            connector = ServiceConnector(reg, session)  # a rejected token is not reused
        except requests.RequestException as e:
            _failure(passback, line["id"], donnees, type(e).__name__, retry)
    retry.parent.mkdir(parents=True, exist_ok=True)
    retry.write_text(json.dumps(passback.to_resend, ensure_ascii=False, indent=1), encoding="utf-8")
    return passback


def _failure(passback: Passback, etudiant: str, donnees: dict, reason: str, retry: Path) -> None:
    passback.to_resend.append({"etudiant": etudiant, "raison": reason, "score": donnees})
    passback.journal.append(MSG_FAILURE.format(etudiant=etudiant, raison=reason, fichier=retry))
