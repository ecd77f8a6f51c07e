"""Grade one submitted notebook: read it, run its tasks in sandbox children, score every check."""
from __future__ import annotations

from pathlib import Path

from .assignment import Devoir
from .notebook import lire_soumission
from .redaction import Caviardeur
from .results import Check, GradeResult, TaskResult, score_tache, total
from .sandbox import Rapport, lancer

MSG_DELAI_TACHE = ("La correction de « {tache} » a dépassé {delai:g} s et a été arrêtée : cherchez une boucle "
                   "sans fin, un thread jamais terminé ou une attente sans délai.")
MSG_PLANTAGE = ("Le processus de correction s'est arrêté brutalement pendant « {tache} » ({detail}) : "
                "votre code a quitté Python (os._exit, signal, mémoire épuisée ?). Retirez ce qui termine "
                "le programme.")
MSG_CANAL = ("La correction de « {tache} » a reçu des données invalides ({detail}) : votre code ne doit pas "
             "écrire dans les canaux internes du correcteur.")
MSG_NON_ATTEINTE = "Vérification non exécutée : la correction s'est arrêtée avant (voir les autres messages)."
MSG_FATAL_TACHE = "Non noté : {raison}"
MSG_PILES = "État des threads au moment de l'arrêt :\n{piles}"


def _message_arret(rapport: Rapport, tache: str, delai: float) -> str:
    if rapport.statut == "delai":
        return MSG_DELAI_TACHE.format(tache=tache, delai=delai)
    if rapport.statut == "canal":
        return MSG_CANAL.format(tache=tache, detail=rapport.detail)
    detail = f"signal {rapport.detail}" if rapport.statut == "signal" else f"code de sortie {rapport.detail}"
    return MSG_PLANTAGE.format(tache=tache, detail=detail)


def resultat_vide(devoir: Devoir, raison: str) -> GradeResult:
    """Every task at zero with ``raison``: the notebook itself could not be used."""
    taches = [TaskResult(t.id, 0.0, t.points, [Check(v.nom, False, MSG_FATAL_TACHE.format(raison=raison))
                                               for v in t.verifications]) for t in devoir.taches]
    return GradeResult(devoir.id, 0.0, devoir.points, taches, [raison])


def noter_notebook(chemin: Path, devoir: Devoir, *, taches: list[str] | None = None,
                   mode: str | None = None) -> GradeResult:
    """The SPEC §3 result for ``chemin``; never raises because of what the notebook contains."""
    lecture = lire_soumission(chemin, devoir.notebook_source)
    if lecture.fatal:
        return resultat_vide(devoir, lecture.fatal)
    caviarder = Caviardeur([devoir.correcteur])
    choisies = [t for t in devoir.taches if taches is None or t.id in taches]
    tache_de = {v.id: t.id for t in choisies for v in t.verifications}
    delais = {t.id: t.delai for t in choisies}
    verdicts: dict[str, tuple[bool, str]] = {}
    erreurs = list(lecture.erreurs)
    a_faire = [t.id for t in choisies]
    while a_faire:
        demande = {"cellules": lecture.cellules, "taches": a_faire, "correcteur": str(devoir.correcteur),
                   "delai": max(delais[t] for t in a_faire),
                   "cpu": int(sum(delais[t] for t in a_faire) + 10)}
        rapport = lancer(demande, delais, tache_de, mode)
        verdicts.update(rapport.resultats)
        if rapport.fin and rapport.statut == "ok":
            break
        en_cours = rapport.en_cours
        restantes = [t for t in a_faire if any(v.id not in verdicts for v in devoir.tache(t).verifications)]
        if en_cours is None and rapport.resultats and rapport.statut == "sortie" and rapport.detail == "0":
            a_faire = restantes  # the child stopped on purpose (grader altered): a fresh one goes on
            continue
        if not restantes:
            break
        # The task that was running pays (or the first one left, if the child died before any check).
        tache = tache_de[en_cours] if en_cours is not None else restantes[0]
        message = _message_arret(rapport, tache, delais[tache])
        piles = [ligne.strip() for ligne in rapport.piles.splitlines() if "<cellule " in ligne]
        if rapport.statut == "delai" and piles:
            message += "\n" + MSG_PILES.format(piles="\n".join(piles[-8:]))
        for v in devoir.tache(tache).verifications:
            verdicts.setdefault(v.id, (False, message))
        erreurs.append(message)
        a_faire = [t for t in restantes if t != tache]
    resultats = []
    for t in choisies:
        checks = []
        for v in t.verifications:
            reussi, message = verdicts.get(v.id, (False, MSG_NON_ATTEINTE))
            checks.append(Check(v.nom, reussi, caviarder(message)))
        poids_ok = sum(v.poids for v, c in zip(t.verifications, checks) if c.passed)
        poids = sum(v.poids for v in t.verifications)
        resultats.append(TaskResult(t.id, score_tache(t.points, poids_ok, poids), t.points, checks))
    return GradeResult(devoir.id, total(resultats), sum(t.points for t in choisies), resultats,
                       [caviarder(e) for e in erreurs])
