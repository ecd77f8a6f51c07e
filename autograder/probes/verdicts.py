"""French verdicts shared by the hidden graders: crashes, deadlocks, busy waiting and races."""
from __future__ import annotations

import re
from typing import Callable

from .cycle import Cycle
from .api import MSG_EXCEPTION, MSG_NON_IMPLEMENTE, Echec  # noqa: F401 - re-exported
from .espace import AccesInterdit
from .francais import entier, nom_thread
from .harness import Execution
from .recit import mise_a_jour_perdue, nom_lisible, raconter, raconter_course

MSG_EXCEPTION_THREAD = ("Le thread {thread} s'est arrêté sur une exception : {exception}. "
                        "Une exception dans un thread ne remonte pas toute seule : corrigez-la.")
MSG_INTERBLOCAGE = ("Interblocage dans {quoi} : plus aucun thread ne peut avancer.\n{detail}\n{conseil}")
CONSEIL_REENTRANT = ("{thread} attend un verrou qu'il détient déjà : un threading.Lock n'est pas réentrant. "
                     "Ne reprenez pas un verrou dans du code qui s'exécute déjà sous ce verrou (une méthode "
                     "appelée depuis un bloc « with verrou: »), ou utilisez threading.RLock.")
CONSEIL_ORDRE = ("{threads} prennent les mêmes verrous dans des ordres opposés : chacun détient le verrou que "
                 "l'autre attend. Prenez toujours les verrous dans le même ordre (ou un seul verrou).")
CONSEIL_SENTINELLE = ("{thread} attend dans get() un élément qui n'arrivera jamais : envoyez une sentinelle None "
                      "par travailleur, après les données.")
CONSEIL_TASK_DONE = ("Queue.join() attend que chaque élément mis dans la file soit pris puis suivi d'un "
                     "task_done() ; ici des éléments restent sans task_done() et plus aucun travailleur ne les "
                     "traitera (sentinelles envoyées avant les données, travailleur arrêté trop tôt, ou "
                     "task_done() oublié).")
CONSEIL_FILE_PLEINE = ("{thread} attend dans put() une place libre dans une file bornée (maxsize) que personne ne "
                       "vide : démarrez les travailleurs avant de remplir la file, ou ne bornez pas sa taille.")
CONSEIL_NON_RELACHE = ("{thread} attend un verrou que personne ne relâchera (pris avec acquire() sans release(), "
                       "par exemple sur un chemin d'exception) : préférez « with verrou: ».")
CONSEIL_GENERAL = ("Vérifiez qu'aucun thread n'attend un événement qui n'arrivera jamais (join() d'un thread "
                   "bloqué, Barrier trop grande, Event jamais positionné, verrou jamais relâché).")
MSG_ATTENTE_ACTIVE = ("{quoi} ne se termine pas : plus de {pas} étapes sans fin (boucle infinie ou attente "
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
MSG_SCENARIO = "Scénario : {scenario}."
CONSEIL_VERROUS_DISTINCTS = ("Les threads n'ont jamais pris le même verrou : chacun prenait le sien (un verrou créé à "
                             "chaque appel, ou un verrou différent par méthode), donc aucun ne bloquait les autres. "
                             "Créez le verrou une seule fois (au niveau du module, ou dans __init__) et prenez ce "
                             "même verrou partout où la variable est lue puis modifiée.")

ATTENTE = re.compile(r"^(T\d+) attend (.*)$")
DETENU = re.compile(r"^un verrou(?: réentrant)? détenu par (T\d+)")


def conseil_interblocage(lignes: list[str]) -> str:
    """The advice that fits this deadlock, read from the scheduler's "Tn attend ..." lines."""
    attentes = {m.group(1): m.group(2) for m in map(ATTENTE.match, lignes) if m}
    for t, quoi in attentes.items():
        if "qu'il détient déjà" in quoi:
            return CONSEIL_REENTRANT.format(thread=nom_thread(t))
    detenteur = {t: m.group(1) for t, quoi in attentes.items() if (m := DETENU.match(quoi))}
    for depart in detenteur:
        vus, t = [depart], detenteur[depart]
        while t in detenteur and t not in vus:
            vus.append(t)
            t = detenteur[t]
        if t == depart:
            return CONSEIL_ORDRE.format(threads=" et ".join(nom_thread(x) for x in sorted(vus)))
    for t, quoi in attentes.items():
        if quoi.startswith("un élément de la file"):
            return CONSEIL_SENTINELLE.format(thread=nom_thread(t))
    for t, quoi in attentes.items():
        if quoi.startswith("une place libre dans la file"):
            return CONSEIL_FILE_PLEINE.format(thread=nom_thread(t))
    if any(quoi.startswith("Queue.join()") for quoi in attentes.values()):
        return CONSEIL_TASK_DONE
    for t, proprio in detenteur.items():
        if proprio not in attentes:  # the holder has ended, still holding the lock
            return CONSEIL_NON_RELACHE.format(thread=nom_thread(t))
    return CONSEIL_GENERAL


def detail_interblocage(lignes: list[str]) -> str:
    return "\n".join("    " + (nom_thread(m.group(1)) + " attend " + m.group(2) if (m := ATTENTE.match(d)) else d)
                     for d in lignes)


def _type_exception(ex: Execution) -> str | None:
    """The class name of the run's exception, from the data field or (older runs) the object itself."""
    nom = getattr(ex, "type_exception", None)
    if nom is None and getattr(ex, "exception_brute", None) is not None:
        nom = type(ex.exception_brute).__name__
    return nom


def probleme(ex: Execution, quoi: str, scenario: str | None = None) -> str | None:
    """The first thing that went wrong in a run, as a French sentence; None if the run was clean.

    ``quoi`` is the graded name (the grammatical subject of the sentences), ``scenario`` an optional
    description of what the run did, added as a sentence of its own.
    """
    message = _probleme(ex, quoi)
    if message and scenario:
        message += "\n" + MSG_SCENARIO.format(scenario=scenario)
    return message


def _probleme(ex: Execution, quoi: str) -> str | None:
    if ex.erreur_interne:
        return MSG_INTERNE.format(detail=ex.erreur_interne)
    if ex.exception:
        nom = _type_exception(ex)
        if nom == AccesInterdit.__name__:  # the guard's own sentence says what was stopped
            brute = getattr(ex, "exception_brute", None)
            return str(brute) if brute is not None else ex.exception.removeprefix(nom + ": ")
        if nom == "NotImplementedError":
            return MSG_NON_IMPLEMENTE.format(quoi=quoi)
        return MSG_EXCEPTION.format(quoi=quoi, exception=ex.exception)
    if ex.processus_crees:
        return MSG_PROCESSUS.format(quoi=quoi, n=ex.processus_crees)
    if ex.interblocage:
        return MSG_INTERBLOCAGE.format(quoi=quoi, detail=detail_interblocage(ex.interblocage),
                                       conseil=conseil_interblocage(ex.interblocage))
    if ex.attente_active:
        return MSG_ATTENTE_ACTIVE.format(quoi=quoi, pas=entier(max(ex.pas - 1, 0)))
    if ex.exceptions_threads:
        thread, exc = ex.exceptions_threads[0]
        if exc.startswith("NotImplementedError"):
            return MSG_NON_IMPLEMENTE.format(quoi=quoi)
        return MSG_EXCEPTION_THREAD.format(thread=nom_thread(thread), exception=exc)
    return None


def exiger_propre(ex: Execution, quoi: str) -> None:
    """Fail the check with the run's first problem, if any."""
    p = probleme(ex, quoi)
    if p:
        raise Echec(p)


def course_ou_perte(ex: Execution, attendu: object, obtenu: object) -> str | None:
    """A race verdict: a lost update with its story if this run shows one, else the unordered accesses."""
    perte = mise_a_jour_perdue(ex.journal)
    conseil = "\n" + CONSEIL_VERROUS_DISTINCTS if ex.cycle is not None and ex.cycle.verrous_jamais_partages() else ""
    if obtenu != attendu and perte:
        return MSG_PERTE.format(variable=nom_lisible(perte[-1].variable), lignes=raconter(perte),
                                obtenu=obtenu, attendu=attendu, graine=ex.graine) + conseil
    if ex.courses:
        c = ex.courses[0]
        message = MSG_COURSE.format(variable=nom_lisible(c.variable), lignes=raconter_course(c))
        if obtenu != attendu:
            message += "\n" + MSG_CONSTAT.format(obtenu=obtenu, attendu=attendu, graine=ex.graine)
        return message + conseil
    return None


MSG_VALEUR = "{quoi} : résultat {obtenu!r} au lieu de {attendu!r}."


def sans_course(lancer: Callable[[int], Execution], quoi: str, attendu: object,
                graines_min: int = 3, graines_max: int = 40, *, scenario: str | None = None) -> str | None:
    """Judge race-freedom: happens-before on every run, then seeds until a lost update tells the story.

    ``lancer(graine)`` runs the scenario; its value is compared with ``attendu``. ``quoi`` is the graded
    name, ``scenario`` what the run does (both for the student's message). Correct code
    costs ``graines_min`` runs; racy code is explored up to ``graines_max`` runs for a story.
    """
    premiere: Execution | None = None   # first run with a race or a wrong value
    fausse: Execution | None = None     # first run with a wrong value: the better story
    for g in range(graines_max):
        ex = lancer(g)
        p = probleme(ex, quoi, scenario)
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
        quoi=scenario[:1].upper() + scenario[1:] if scenario else quoi, obtenu=choisie.valeur, attendu=attendu)


MSG_NB_THREADS = ("La fonction a démarré {demarres} thread(s) avec start() au lieu de {n} : "
                  "créez un threading.Thread par tâche et démarrez-le avec start().")
MSG_RUN = ("Vous appelez run() au lieu de start() : run() exécute la fonction dans le thread courant, "
           "aucun nouveau thread n'est lancé.")
MSG_SERIE = ("Les threads ne tournent pas en même temps : un thread est démarré après le join() d'un autre. "
             "Démarrez d'abord tous les threads, puis attendez-les tous avec join().")
# Threads are named T1, T2... in the order of their start(), as in deadlock and race messages.
NUMEROTATION = "T1 est le premier thread démarré"
MSG_PAS_JOINT = ("Certains threads ne sont pas attendus avec join() ({threads} ; " + NUMEROTATION + ") : la fonction "
                 "ne doit rendre la main qu'une fois tous ses threads terminés.")
MSG_APPEL_DIRECT = ("La fonction {fonction} a été appelée {n} fois par le thread principal au lieu de l'être par "
                    "les threads : "
                    "target={fonction}(…) appelle la fonction tout de suite, avant même de créer le thread. "
                    "Passez la fonction sans l'appeler : threading.Thread(target={fonction}, args=(…)).")
MSG_VIVANTS = ("Des threads tournent encore quand la fonction se termine ({threads} ; " + NUMEROTATION + ") : "
               "attendez-les avec join().")


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
