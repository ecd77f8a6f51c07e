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

from ..assignment import Devoir, ErreurDevoir
from .export import notes

PORTEE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
TYPE_SCORE = "application/vnd.ims.lis.v1.score+json"
MSG_CONFIG = "Configuration LTI invalide dans {fichier} : {raison}"
MSG_ECHEC = "{etudiant} : note non envoyée ({raison}) ; elle est dans la liste à renvoyer {fichier}"
MSG_SANS_ID = "identifiant LTI inconnu : ajoutez « {etudiant} » à la table [utilisateurs] de lti.toml"


@dataclass
class Envoi:
    envoyes: list[str] = field(default_factory=list)
    a_renvoyer: list[dict] = field(default_factory=list)
    journal: list[str] = field(default_factory=list)


@dataclass
class ConfigLTI:
    registration: Registration
    lineitem: str
    utilisateurs: dict[str, str] | None  # nbgrader id -> LTI user id; None: the ids are the same


def charger_config(fichier: Path, devoir: Devoir) -> ConfigLTI:
    """lti.toml: [plateforme] issuer, client_id, auth_token_url, cle_privee (path), kid; [lineitems] <id> = URL;
    optional [utilisateurs] <nbgrader id> = <LTI user id> (Canvas's LTI ids are not its numeric user ids)."""
    try:
        conf = tomllib.loads(fichier.read_text(encoding="utf-8"))
        p = conf["plateforme"]
        cle = (fichier.parent / p["cle_privee"]).read_text(encoding="utf-8")
        lineitem = conf["lineitems"][devoir.id]
        utilisateurs = conf.get("utilisateurs")
        if utilisateurs is not None and not all(isinstance(v, str) for v in utilisateurs.values()):
            raise KeyError("[utilisateurs] : chaque valeur doit être une chaîne")
    except (OSError, KeyError, tomllib.TOMLDecodeError) as e:
        raise ErreurDevoir(MSG_CONFIG.format(fichier=fichier, raison=f"{type(e).__name__}: {e}")) from None
    reg = (Registration().set_issuer(p["issuer"]).set_client_id(p["client_id"])
           .set_auth_token_url(p["auth_token_url"]).set_tool_private_key(cle))
    if p.get("kid"):
        reg.set_kid(p["kid"])
    if p.get("auth_audience"):
        reg.set_auth_audience(p["auth_audience"])
    return ConfigLTI(reg, lineitem, utilisateurs)


def charge_utile(utilisateur: str, score: float, maximum: float, commentaire: str = "") -> dict:
    donnees = {"userId": utilisateur, "scoreGiven": score, "scoreMaximum": maximum,
               "activityProgress": "Completed", "gradingProgress": "FullyGraded",
               "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds")}
    if commentaire:
        donnees["comment"] = commentaire
    return donnees


def envoyer(racine: Path, devoir: Devoir, fichier_config: Path, url_gradebook: str,
            session: requests.Session | None = None) -> Envoi:
    """POST one score per graded student; every failure goes to a retry list, none is dropped."""
    config = charger_config(fichier_config, devoir)
    reg, lineitem = config.registration, config.lineitem
    connecteur = ServiceConnector(reg, session)
    envoi = Envoi()
    retry = racine / "exports" / f"{devoir.id}-lti-a-renvoyer.json"
    with Gradebook(url_gradebook) as gb:
        lignes = notes(gb, devoir)
    for ligne in lignes:
        if config.utilisateurs is None:
            utilisateur = ligne["id"]
        elif ligne["id"] in config.utilisateurs:
            utilisateur = config.utilisateurs[ligne["id"]]
        else:  # never guess: a score posted to the wrong user is worse than one posted late
            donnees = charge_utile("", ligne["total"], devoir.points_total)
            _echec(envoi, ligne["id"], donnees, MSG_SANS_ID.format(etudiant=ligne["id"]), retry)
            continue
        donnees = charge_utile(utilisateur, ligne["total"], devoir.points_total)
        try:
            connecteur.make_service_request([PORTEE_SCORE], lineitem.rstrip("/") + "/scores", is_post=True,
                                            data=json.dumps(donnees), content_type=TYPE_SCORE)
            envoi.envoyes.append(ligne["id"])
        except LtiServiceException as e:
            raison = f"HTTP {e.response.status_code}" if getattr(e, "response", None) is not None else str(e)
            _echec(envoi, ligne["id"], donnees, raison, retry)
            connecteur = ServiceConnector(reg, session)  # a rejected token is not reused
        except requests.RequestException as e:
            _echec(envoi, ligne["id"], donnees, type(e).__name__, retry)
    retry.parent.mkdir(parents=True, exist_ok=True)
    retry.write_text(json.dumps(envoi.a_renvoyer, ensure_ascii=False, indent=1), encoding="utf-8")
    return envoi


def _echec(envoi: Envoi, etudiant: str, donnees: dict, raison: str, retry: Path) -> None:
    envoi.a_renvoyer.append({"etudiant": etudiant, "raison": raison, "score": donnees})
    envoi.journal.append(MSG_ECHEC.format(etudiant=etudiant, raison=raison, fichier=retry))
