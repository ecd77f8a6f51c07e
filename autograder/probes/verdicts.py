"""French verdicts shared by the hidden graders: crashes, deadlocks, busy waiting and races."""
from __future__ import annotations

import re
from typing import Callable

from .cycle import Cycle
from .api import MSG_EXCEPTION, MSG_NON_IMPLEMENTE, CheckFailed  # noqa: F401 - re-exported
from .space import AccesInterdit
from .french import integer, thread_name
from .harness import Execution
from .story import lost_update, readable_name, tell, tell_race

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
MSG_INTERNAL = "Le correcteur n'a pas pu terminer cette vérification ({detail}) : signalez-le à l'équipe du cours."
MSG_COURSE = ("Accès concurrent non protégé à « {variable} » : deux threads y accèdent sans synchronisation "
              "(aucun verrou commun ne les ordonne) :\n{lignes}\n"
              "Protégez toute la lecture-modification-écriture par un même verrou partagé.")
MSG_FINDING = "Sur cet ordonnancement (graine {graine}), résultat obtenu : {obtenu} au lieu de {attendu}."
MSG_PERTE = ("Mise à jour perdue sur « {variable} » : deux threads ont lu la même valeur avant que l'un "
             "d'eux écrive, donc une écriture a écrasé l'autre :\n{lignes}\n"
             "Résultat obtenu : {obtenu} au lieu de {attendu}. (Ordonnancement rejouable : graine {graine}.)\n"
             "Protégez toute la lecture-modification-écriture par un même verrou partagé.")
MSG_SCENARIO = "Scénario : {scenario}."
CONSEIL_VERROUS_DISTINCTS = ("Les threads n'ont jamais pris le même verrou : chacun prenait le sien (un verrou créé à "
                             "chaque appel, ou un verrou différent par méthode), donc aucun ne bloquait les autres. "
                             "Créez le verrou une seule fois (au niveau du module, ou dans __init__) et prenez ce "
                             "même verrou partout où la variable est lue puis modifiée.")

WAIT = re.compile(r"^(T\d+) attend (.*)$")
HELD = re.compile(r"^un verrou(?: réentrant)? détenu par (T\d+)")


def deadlock_advice(lignes: list[str]) -> str:
    """The advice that fits this deadlock, read from the scheduler's "Tn attend ..." lines."""
    expectations = {m.group(1): m.group(2) for m in map(WAIT.match, lignes) if m}
    for t, what in expectations.items():
        if "qu'il détient déjà" in what:
            return CONSEIL_REENTRANT.format(thread=thread_name(t))
    holder = {t: m.group(1) for t, what in expectations.items() if (m := HELD.match(what))}
    for start in holder:
        seen, t = [start], holder[start]
        while t in holder and t not in seen:
            seen.append(t)
            t = holder[t]
        if t == start:
            return CONSEIL_ORDRE.format(threads=" et ".join(thread_name(x) for x in sorted(seen)))
    for t, what in expectations.items():
        if what.startswith("un élément de la file"):
            return CONSEIL_SENTINELLE.format(thread=thread_name(t))
    for t, what in expectations.items():
        if what.startswith("une place libre dans la file"):
            return CONSEIL_FILE_PLEINE.format(thread=thread_name(t))
    if any(what.startswith("Queue.join()") for what in expectations.values()):
        return CONSEIL_TASK_DONE
    for t, owner in holder.items():
        if owner not in expectations:  # the holder has ended, still holding the lock
            return CONSEIL_NON_RELACHE.format(thread=thread_name(t))
    return CONSEIL_GENERAL


def deadlock_detail(lignes: list[str]) -> str:
    return "\n".join("    " + (thread_name(m.group(1)) + " attend " + m.group(2) if (m := WAIT.match(d)) else d)
                     for d in lignes)


def _type_exception(ex: Execution) -> str | None:
    """The class name of the run's exception, from the data field or (older runs) the object itself."""
    nom = getattr(ex, "type_exception", None)
    if nom is None and getattr(ex, "raw_exception", None) is not None:
        nom = type(ex.raw_exception).__name__
    return nom


def problem(ex: Execution, what: str, scenario: str | None = None) -> str | None:
    """The first thing that went wrong in a run, as a French sentence; None if the run was clean.

    ``quoi`` is the graded name (the grammatical subject of the sentences), ``scenario`` an optional
    description of what the run did, added as a sentence of its own.
    """
    message = _problem(ex, what)
    if message and scenario:
        message += "\n" + MSG_SCENARIO.format(scenario=scenario)
    return message


def _problem(ex: Execution, what: str) -> str | None:
    if ex.erreur_interne:
        return MSG_INTERNAL.format(detail=ex.erreur_interne)
    if ex.exception:
        nom = _type_exception(ex)
        if nom == AccesInterdit.__name__:  # the guard's own sentence says what was stopped
            raw = getattr(ex, "raw_exception", None)
            return str(raw) if raw is not None else ex.exception.removeprefix(nom + ": ")
        if nom == "NotImplementedError":
            return MSG_NON_IMPLEMENTE.format(quoi=what)
        return MSG_EXCEPTION.format(quoi=what, exception=ex.exception)
    if ex.processus_crees:
        return MSG_PROCESSUS.format(quoi=what, n=ex.processus_crees)
    if ex.interblocage:
        return MSG_INTERBLOCAGE.format(quoi=what, detail=deadlock_detail(ex.interblocage),
                                       conseil=deadlock_advice(ex.interblocage))
    if ex.attente_active:
        return MSG_ATTENTE_ACTIVE.format(quoi=what, pas=integer(max(ex.pas - 1, 0)))
    if ex.exceptions_threads:
        thread, exc = ex.exceptions_threads[0]
        if exc.startswith("NotImplementedError"):
            return MSG_NON_IMPLEMENTE.format(quoi=what)
        return MSG_EXCEPTION_THREAD.format(thread=thread_name(thread), exception=exc)
    return None


def require_own(ex: Execution, what: str) -> None:
    """Fail the check with the run's first problem, if any."""
    p = problem(ex, what)
    if p:
        raise CheckFailed(p)


def race_or_loss(ex: Execution, attendu: object, obtained: object) -> str | None:
    """A race verdict: a lost update with its story if this run shows one, else the unordered accesses."""
    loss = lost_update(ex.journal)
    advice = "\n" + CONSEIL_VERROUS_DISTINCTS if ex.cycle is not None and ex.cycle.never_shared_locks() else ""
    if obtained != attendu and loss:
        return MSG_PERTE.format(variable=readable_name(loss[-1].variable), lignes=tell(loss),
                                obtenu=obtained, attendu=attendu, graine=ex.seed) + advice
    if ex.courses:
        c = ex.courses[0]
        message = MSG_COURSE.format(variable=readable_name(c.variable), lignes=tell_race(c))
        if obtained != attendu:
            message += "\n" + MSG_FINDING.format(obtenu=obtained, attendu=attendu, graine=ex.seed)
        return message + advice
    return None


MSG_VALEUR = "{quoi} : résultat {obtenu!r} au lieu de {attendu!r}."
MSG_PAS_UNE_LISTE = ("{quoi} renvoie les bons résultats dans le bon ordre, mais dans un objet de type {type} : "
                     "renvoyez une liste (list(executor.map(...)) par exemple).")
# Lazy iterators are read where a result is judged (telecharger_tous's error check judges the laziness itself).
LAZY = ("map", "generator", "filter", "zip", "itertools.chain")


def list_or_as_is(v: object) -> object:
    """A lazy iterator (map, generator) or a tuple is read, so that what it holds is judged, not its type (the
    order checks judge a tuple's type, once the content is right)."""
    if type(v).__name__ in LAZY or type(v) is tuple:
        return list(v)
    return v



def race_free(run_seed: Callable[[int], Execution], what: str, attendu: object,
                seeds_min: int = 3, seeds_max: int = 40, *, scenario: str | None = None) -> str | None:
    """Judge race-freedom: happens-before on every run, then seeds until a lost update tells the story.

    ``lancer(graine)`` runs the scenario; its value is compared with ``attendu``. ``quoi`` is the graded
    name, ``scenario`` what the run does (both for the student's message). Correct code
    costs ``graines_min`` runs; racy code is explored up to ``graines_max`` runs for a story.
    """
    first: Execution | None = None   # first run with a race or a wrong value
    false: Execution | None = None     # first run with a wrong value: the better story
    for g in range(seeds_max):
        ex = run_seed(g)
        p = problem(ex, what, scenario)
        if p:
            return p
        if ex.courses or ex.valeur != attendu:
            first = first or ex
            if ex.valeur != attendu:
                false = false or ex
                if lost_update(ex.journal):
                    return race_or_loss(ex, attendu, ex.valeur)
        if first is None and g + 1 >= seeds_min:
            return None
    chosen = false or first
    assert chosen is not None
    return race_or_loss(chosen, attendu, chosen.valeur) or MSG_VALEUR.format(
        quoi=scenario[:1].upper() + scenario[1:] if scenario else what, obtenu=chosen.valeur, attendu=attendu)


MSG_NB_THREADS = ("La fonction a démarré {demarres} thread(s) avec start() au lieu de {n} : "
                  "créez un threading.Thread par tâche et démarrez-le avec start().")
MSG_RUN = ("Vous appelez run() au lieu de start() : run() exécute la fonction dans le thread courant, "
           "aucun nouveau thread n'est lancé.")
MSG_SERIE = ("Les threads ne tournent pas en même temps : un thread est démarré après le join() d'un autre. "
             "Démarrez d'abord tous les threads, puis attendez-les tous avec join().")
# Threads are named T1, T2... in the order of their start(), as in deadlock and race messages.
NUMBERING = "T1 est le premier thread démarré"
MSG_PAS_JOINT = ("Certains threads ne sont pas attendus avec join() ({threads} ; " + NUMBERING + ") : la fonction "
                 "ne doit rendre la main qu'une fois tous ses threads terminés.")
MSG_APPEL_DIRECT = ("La fonction {fonction} a été appelée {n} fois par le thread principal au lieu de l'être par "
                    "les threads : "
                    "target={fonction}(…) appelle la fonction tout de suite, avant même de créer le thread. "
                    "Passez la fonction sans l'appeler : threading.Thread(target={fonction}, args=(…)).")
MSG_VIVANTS = ("Des threads tournent encore quand la fonction se termine ({threads} ; " + NUMBERING + ") : "
               "attendez-les avec join().")


def check_cycle(cycle: Cycle, n: int) -> str | None:
    """Lifecycle verdict shared by every function that must start n threads, then join them all."""
    demarres = cycle.demarres()
    if any(e.genre == "run_direct" for e in cycle.evenements):
        return MSG_RUN
    if len(demarres) != n:
        return MSG_NB_THREADS.format(n=n, demarres=len(demarres))
    if cycle.start_after_join():
        return MSG_SERIE
    not_joined = [t for t in demarres if t not in cycle.joined()]
    if not_joined:
        return MSG_PAS_JOINT.format(threads=", ".join(not_joined))
    if cycle.vivants_au_retour:
        return MSG_VIVANTS.format(threads=", ".join(cycle.vivants_au_retour))
    return None
