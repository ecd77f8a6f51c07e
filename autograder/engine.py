"""Grade one submitted notebook: read it, run its tasks in sandbox children, score every check."""
from __future__ import annotations

import time
from pathlib import Path

from . import bytecode
from .assignment import Devoir
from .notebook import lire_soumission
from .redaction import Caviardeur
from .jail import verifier_prison
from .probes.api import MSG_DELAI as MSG_DELAI_TACHE  # one sentence for a task out of time, wherever it is seen
from .request import GradingRequest
from .results import Check, GradeResult, Incident, TaskResult, check_id, score_tache
from .results import total as somme
from .sandbox import Rapport, RunStatus, lancer

MSG_PLANTAGE = ("Le processus de correction s'est arrêté brutalement pendant « {tache} » ({detail}) : "
                "votre code a quitté Python (os._exit, signal, mémoire épuisée ?). Retirez ce qui termine "
                "le programme.")
MSG_CANAL = ("La correction de « {tache} » a reçu des données invalides ({detail}) : votre code ne doit pas "
             "écrire dans les canaux internes du correcteur.")
MSG_NON_ATTEINTE = "Vérification non exécutée : la correction s'est arrêtée avant (voir les autres messages)."
MSG_FATAL_TACHE = "Non noté : {raison}"
MSG_DELAI_TOTAL = ("La correction de votre notebook a dépassé sa durée totale ({delai:g} s) et a été arrêtée : "
                   "cherchez une boucle sans fin ou une attente qui ne se termine jamais.")
MARGE_TOTALE = 30.0  # real seconds for starting processes and jails, beyond the sum of the tasks' limits


def _message_arret(rapport: Rapport, tache: str, delai: float, total_depasse: bool, total: float) -> str:
    if total_depasse:
        return MSG_DELAI_TOTAL.format(delai=total)
    if rapport.statut is RunStatus.TIMEOUT:
        return MSG_DELAI_TACHE.format(tache=tache, delai=delai)
    if rapport.statut is RunStatus.CHANNEL:
        return MSG_CANAL.format(tache=tache, detail=rapport.detail)
    detail = f"signal {rapport.detail}" if rapport.statut is RunStatus.SIGNAL else f"code de sortie {rapport.detail}"
    return MSG_PLANTAGE.format(tache=tache, detail=detail)


def resultat_vide(devoir: Devoir, raison: str) -> GradeResult:
    """Every task at zero with ``raison``: the notebook itself could not be used."""
    taches = [TaskResult(t.id, 0.0, t.points, [Check(v.nom, False, MSG_FATAL_TACHE.format(raison=raison),
                                                     check_id(t.id, v.id)) for v in t.verifications])
              for t in devoir.taches]
    return GradeResult(devoir.id, 0.0, devoir.points, taches, [raison])


def noter_notebook(chemin: Path, devoir: Devoir, *, taches: list[str] | None = None,
                   mode: str | None = None) -> GradeResult:
    """The SPEC §3 result for ``chemin``; never raises because of what the notebook contains."""
    lecture = lire_soumission(chemin, devoir.notebook_source)
    if lecture.fatal:
        return resultat_vide(devoir, lecture.fatal)
    verifier_prison()  # refuses to grade (instructor-facing error) where the jail cannot start
    bytecode.module(devoir.correcteur)
    caviarder = Caviardeur([devoir.correcteur])
    choisies = [t for t in devoir.taches if taches is None or t.id in taches]
    tache_de = {v.id: t.id for t in choisies for v in t.verifications}
    delais = {t.id: t.delai for t in choisies}
    verdicts: dict[str, tuple[bool, str]] = {}
    erreurs = list(lecture.erreurs)
    a_faire = [t.id for t in choisies]
    incidents: list[Incident] = []
    total = sum(delais.values()) + MARGE_TOTALE
    # One overall deadline per submission: nothing a grading process reports can extend it.
    echeance_totale = time.monotonic() + total
    publics = tuple(sorted(str(f) for f in devoir.fichiers_publics))
    while a_faire:
        demande = GradingRequest(lecture.cellules, lecture.ordre, tuple(a_faire), str(devoir.correcteur),
                                 {t: delais[t] for t in a_faire}, publics)
        rapport = lancer(demande, delais, tache_de, mode, echeance_totale)
        verdicts.update(rapport.resultats)
        incidents += [i for i in rapport.incidents if i not in incidents]
        total_depasse = time.monotonic() >= echeance_totale
        if rapport.fin and rapport.statut is RunStatus.OK:
            break
        en_cours = rapport.en_cours
        restantes = [t for t in a_faire if any(v.id not in verdicts for v in devoir.tache(t).verifications)]
        if not restantes:
            break
        # The task that was running pays (or the first one left, if the child died before any check).
        tache = tache_de[en_cours] if en_cours is not None else restantes[0]
        message = _message_arret(rapport, tache, delais[tache], total_depasse, total)
        incident = (Incident.TIMEOUT if rapport.statut is RunStatus.TIMEOUT
                    else Incident.TAMPERING if rapport.statut is RunStatus.CHANNEL else Incident.CRASH)
        if incident not in incidents:
            incidents.append(incident)
        for v in devoir.tache(tache).verifications:
            verdicts.setdefault(v.id, (False, message))
        erreurs.append(message)
        a_faire = [] if total_depasse else [t for t in restantes if t != tache]
    resultats = []
    for t in choisies:
        checks = []
        for v in t.verifications:
            reussi, message = verdicts.get(v.id, (False, MSG_NON_ATTEINTE))
            checks.append(Check(v.nom, reussi, caviarder(message), check_id(t.id, v.id)))
        poids_ok = sum(v.poids for v, c in zip(t.verifications, checks) if c.passed)
        poids = sum(v.poids for v in t.verifications)
        resultats.append(TaskResult(t.id, score_tache(t.points, poids_ok, poids), t.points, checks))
    return GradeResult(devoir.id, somme(resultats), sum(t.points for t in choisies), resultats,
                       [caviarder(e) for e in erreurs], incidents)
