"""French verdicts shared by the hidden graders: crashes, deadlocks, busy waiting and races."""
from __future__ import annotations

from typing import Callable

from .cycle import Cycle
from .api import MSG_EXCEPTION, MSG_NON_IMPLEMENTE, Echec  # noqa: F401 - re-exported
from .espace import AccesInterdit
from .harness import Execution
from .recit import mise_a_jour_perdue, nom_lisible, raconter, raconter_course
from .scheduler import PAS_MAX_DEFAUT

MSG_EXCEPTION_THREAD = ("Le thread {thread} s'est arrêté sur une exception : {exception}. "
                        "Une exception dans un thread ne remonte pas toute seule : corrigez-la.")
MSG_INTERBLOCAGE = ("Interblocage pendant {quoi} : plus aucun thread ne peut avancer.\n{detail}\n"
                    "Vérifiez que chaque verrou pris est relâché (préférez « with verrou: ») "
                    "et qu'aucun thread n'attend un événement qui n'arrivera jamais.")
MSG_ATTENTE_ACTIVE = ("{quoi} ne termine pas : plus de {pas} étapes sans fin (boucle infinie ou attente "
                      "active). N'attendez pas en boucle : bloquez avec join(), get() ou wait().")
MSG_PROCESSUS = ("{quoi} a créé {n} processus : ce devoir porte sur les threads, aucun processus ne doit être "
                 "lancé (ils ont été arrêtés).")
MSG_INTERNE = "Le correcteur n'a pas pu terminer cette vérification ({detail}) : signalez-le à l'équipe du cours."
MSG_COURSE = ("Accès concurrent non protégé à « {variable} » : deux threads y accèdent sans synchronisation "
              "(aucun verrou commun ne les ordonne) :\n{lignes}\n"
              "Protégez toute la lecture-modification-écriture par un même verrou partagé.")
MSG_CONSTAT = "Sur cet ordonnancement (graine {graine}), résultat obtenu : {obtenu} au lieu de {attendu}."
MSG_PERTE = ("Mise à jour perdue sur « {variable} » : deux threads ont lu la même valeur avant que l'un "
             "d'eux écrive, donc une écriture a écrasé l'autre :\n{lignes}\n"
             "Résultat obtenu : {obtenu} au lieu de {attendu}. (Ordonnancement rejouable : graine {graine}.)\n"
             "Protégez toute la lecture-modification-écriture par un même verrou partagé.")


def probleme(ex: Execution, quoi: str) -> str | None:
    """The first thing that went wrong in a run, as a French sentence; None if the run was clean."""
    if ex.erreur_interne:
        return MSG_INTERNE.format(detail=ex.erreur_interne)
    if ex.exception:
        if isinstance(ex.exception_brute, AccesInterdit):
            return str(ex.exception_brute)  # the guard's own sentence says what was stopped
        if isinstance(ex.exception_brute, NotImplementedError):
            return MSG_NON_IMPLEMENTE.format(quoi=quoi)
        return MSG_EXCEPTION.format(quoi=quoi, exception=ex.exception)
    if ex.processus_crees:
        return MSG_PROCESSUS.format(quoi=quoi, n=ex.processus_crees)
    if ex.interblocage:
        return MSG_INTERBLOCAGE.format(quoi=quoi, detail="\n".join("    " + d for d in ex.interblocage))
    if ex.attente_active:
        return MSG_ATTENTE_ACTIVE.format(quoi=quoi, pas=PAS_MAX_DEFAUT)
    if ex.exceptions_threads:
        thread, exc = ex.exceptions_threads[0]
        if exc.startswith("NotImplementedError"):
            return MSG_NON_IMPLEMENTE.format(quoi=quoi)
        return MSG_EXCEPTION_THREAD.format(thread=thread, exception=exc)
    return None


def exiger_propre(ex: Execution, quoi: str) -> None:
    """Fail the check with the run's first problem, if any."""
    p = probleme(ex, quoi)
    if p:
        raise Echec(p)


def course_ou_perte(ex: Execution, attendu: object, obtenu: object) -> str | None:
    """A race verdict: a lost update with its story if this run shows one, else the unordered accesses."""
    perte = mise_a_jour_perdue(ex.journal)
    if obtenu != attendu and perte:
        return MSG_PERTE.format(variable=nom_lisible(perte[-1].variable), lignes=raconter(perte),
                                obtenu=obtenu, attendu=attendu, graine=ex.graine)
    if ex.courses:
        c = ex.courses[0]
        message = MSG_COURSE.format(variable=nom_lisible(c.variable), lignes=raconter_course(c))
        if obtenu != attendu:
            message += "\n" + MSG_CONSTAT.format(obtenu=obtenu, attendu=attendu, graine=ex.graine)
        return message
    return None


MSG_VALEUR = "{quoi} : résultat {obtenu!r} au lieu de {attendu!r}."


def sans_course(lancer: Callable[[int], Execution], quoi: str, attendu: object,
                graines_min: int = 3, graines_max: int = 40) -> str | None:
    """Judge race-freedom: happens-before on every run, then seeds until a lost update tells the story.

    ``lancer(graine)`` runs the scenario; its value is compared with ``attendu``. Correct code
    costs ``graines_min`` runs; racy code is explored up to ``graines_max`` runs for a story.
    """
    premiere: Execution | None = None   # first run with a race or a wrong value
    fausse: Execution | None = None     # first run with a wrong value: the better story
    for g in range(graines_max):
        ex = lancer(g)
        p = probleme(ex, quoi)
        if p:
            return p
        if ex.courses or ex.valeur != attendu:
            premiere = premiere or ex
            if ex.valeur != attendu:
                fausse = fausse or ex
                if mise_a_jour_perdue(ex.journal):
                    return course_ou_perte(ex, attendu, ex.valeur)
        if premiere is None and g + 1 >= graines_min:
            return None
    choisie = fausse or premiere
    assert choisie is not None
    return course_ou_perte(choisie, attendu, choisie.valeur) or MSG_VALEUR.format(
        quoi=quoi, obtenu=choisie.valeur, attendu=attendu)


MSG_NB_THREADS = ("La fonction a démarré {demarres} thread(s) avec start() au lieu de {n} : "
                  "créez un threading.Thread par tâche et démarrez-le avec start().")
MSG_RUN = ("Vous appelez run() au lieu de start() : run() exécute la fonction dans le thread courant, "
           "aucun nouveau thread n'est lancé.")
MSG_SERIE = ("Les threads ne tournent pas en même temps : un thread est démarré après le join() d'un autre. "
             "Démarrez d'abord tous les threads, puis attendez-les tous avec join().")
MSG_PAS_JOINT = ("Certains threads ne sont pas attendus avec join() ({threads}) : la fonction ne doit rendre "
                 "la main qu'une fois tous ses threads terminés.")
MSG_VIVANTS = "Des threads tournent encore quand la fonction se termine ({threads}) : attendez-les avec join()."


def verifier_cycle(cycle: Cycle, n: int) -> str | None:
    """Lifecycle verdict shared by every function that must start n threads, then join them all."""
    demarres = cycle.demarres()
    if any(e.genre == "run_direct" for e in cycle.evenements):
        return MSG_RUN
    if len(demarres) != n:
        return MSG_NB_THREADS.format(n=n, demarres=len(demarres))
    if cycle.start_apres_join():
        return MSG_SERIE
    non_joints = [t for t in demarres if t not in cycle.joints()]
    if non_joints:
        return MSG_PAS_JOINT.format(threads=", ".join(non_joints))
    if cycle.vivants_au_retour:
        return MSG_VIVANTS.format(threads=", ".join(cycle.vivants_au_retour))
    return None
