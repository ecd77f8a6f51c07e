"""Public checks of 01-bases and 02-verrous: own parameters and seeds, the graders' probes and verdicts."""
from __future__ import annotations

from typing import Sequence

from .probes.french import decimal
from .probes.api import CheckFailed, Submission, safe_value
from .probes.harness import RunRequest
from .probes.verdicts import MSG_VALEUR, check_cycle
from .selfcheck_core import TOLERANCE, PublicCheck, PublicTask, SeededFailure, explore_races, fail_on_problem

# Known-good neighbours, so that a task is judged on its own cell only (as the graders do).
GOOD_SHOW_MESSAGE = '''
import threading
import time
appels_afficher = []
def afficher_message(message, delai):
    time.sleep(delai)
    appels_afficher.append((threading.current_thread(), message))
    print(f"Message : {message}")
'''
GOOD_INCREMENTER = '''
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
'''

MSG_TEXTE = "« afficher_message('Salut', 0.75) » doit afficher exactement {attendu!r}, pas {obtenu!r}."
MSG_TROP_TOT = ("« afficher_message('Salut', 0.75) » a affiché au bout de {t} s : attendez d'abord « delai » "
                "secondes (time.sleep), puis affichez.")
MSG_TROP_LONG = "« afficher_message('Salut', 0.75) » a pris {t} s au lieu de 0,75 s."


def _show(sub: Submission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["afficher_message"], lambda ctx: ctx["afficher_message"]("Salut", 0.75))
    fail_on_problem(ex, "afficher_message")
    if ex.output != "Message : Salut\n":
        raise CheckFailed(MSG_TEXTE.format(attendu="Message : Salut", obtenu=ex.output))
    first_one = ex.horodatage[0][0] if ex.horodatage else ex.duree_virtuelle
    if first_one < 0.75 - TOLERANCE:
        raise CheckFailed(MSG_TROP_TOT.format(t=decimal(first_one)))
    if ex.duree_virtuelle > 0.75 + TOLERANCE:
        raise CheckFailed(MSG_TROP_LONG.format(t=decimal(ex.duree_virtuelle)))


MESSAGES = [("a", 0.5), ("b", 1.5), ("c", 1.0)]
MSG_RETOUR = "lancer_threads doit renvoyer la liste des 3 threads créés, dans l'ordre des messages ; reçu : {obtenu}."
MSG_ORDRE = ("Le thread renvoyé en position {i} a affiché {obtenu!r} au lieu de {attendu!r} : renvoyez les threads dans "
             "l'ordre des messages.")
MSG_DUREE = ("lancer_threads a duré {t} s pour des délais de 0,5, 1,5 et 1 s : les threads doivent tourner "
             "en même temps (environ 1,5 s), pas l'un après l'autre (3 s).")


def _run_scenario(wait_end: bool):
    def scenario(ctx: RunRequest):
        retour = ctx["lancer_threads"](list(MESSAGES))
        ctx.retour()
        duree = ctx.ordonnanceur.horloge
        if type(retour) is not list or not all(isinstance(t, ctx.threading.Thread) for t in retour):
            return ("retour", safe_value(retour)), duree
        if wait_end:  # order is judged once every thread printed; a missing join is another check's
            for th in retour:
                if th.is_alive():
                    th.join(timeout=60)
        by_thread = {id(th): msg for th, msg in ctx["appels_afficher"]}
        return ("ok", [by_thread.get(id(t)) for t in retour]), duree
    return scenario


def _run_cycle(sub: Submission, seeds: Sequence[int]) -> None:
    for seed in seeds:
        ex = sub.executer(["lancer_threads"], _run_scenario(False), seed,
                          references={"afficher_message": GOOD_SHOW_MESSAGE})
        fail_on_problem(ex, "lancer_threads")
        p = check_cycle(ex.cycle, len(MESSAGES))
        if p:
            raise SeededFailure(p, seed)
        (_kind, _contenu), duree = ex.valeur
        if duree > 1.5 + TOLERANCE:
            raise SeededFailure(MSG_DUREE.format(t=decimal(duree)), seed)


def _run_order(sub: Submission, seeds: Sequence[int]) -> None:
    for seed in seeds:
        ex = sub.executer(["lancer_threads"], _run_scenario(True), seed,
                          references={"afficher_message": GOOD_SHOW_MESSAGE})
        fail_on_problem(ex, "lancer_threads")
        (genre, content), _ = ex.valeur
        if genre != "ok" or len(content) != len(MESSAGES):
            raise SeededFailure(MSG_RETOUR.format(obtenu=content), seed)
        for i, ((attendu, _d), obtained) in enumerate(zip(MESSAGES, content), start=1):
            if obtained != attendu:
                raise SeededFailure(MSG_ORDRE.format(i=i, obtenu=obtained, attendu=attendu), seed)


MSG_ATTENDRE_BOOL = "attendre doit renvoyer True ou False (un booléen), pas {obtenu!r}."
MSG_ATTENDRE_FAUX = "« attendre(thread, {delai}) » sur un thread qui {cas} doit renvoyer {attendu}, pas {obtenu}."
MSG_WAIT_TOO_LONG = ("« attendre(thread, {delai}) » a bloqué {t} s : il ne doit jamais attendre beaucoup plus "
                     "que delai_max. Utilisez join(timeout=delai_max).")
CASE_WAIT = [(0.5, 3.0, True, "se termine au bout de 0,5 s"), (4.0, 1.0, False, "tourne encore 4 s"),
                (None, 0.5, False, "ne se termine jamais")]


def _wait(sub: Submission, seeds: Sequence[int]) -> None:
    for duree, delai, attendu, case in CASE_WAIT:
        def scenario(ctx: RunRequest, duree=duree, delai=delai):
            fin = ctx.threading.Event()
            target_value = ctx.threading.Thread(target=(lambda: fin.wait()) if duree is None
                                         else (lambda: ctx.time.sleep(duree)))
            target_value.start()
            avant = ctx.ordonnanceur.horloge
            r = ctx["attendre"](target_value, delai)
            after = ctx.ordonnanceur.horloge
            fin.set()
            return safe_value(r), after - avant

        ex = sub.executer(["attendre"], scenario)
        fail_on_problem(ex, "attendre")
        r, t = ex.valeur
        if type(r) is not bool:
            raise CheckFailed(MSG_ATTENDRE_BOOL.format(obtenu=r))
        if r is not attendu:
            raise CheckFailed(MSG_ATTENDRE_FAUX.format(delai=delai, cas=case, attendu=attendu, obtenu=r))
        if t > delai + TOLERANCE:
            raise CheckFailed(MSG_WAIT_TOO_LONG.format(delai=delai, t=decimal(t)))


# -- 02-verrous -------------------------------------------------------------------------------------
# The race scenarios are the ones the feedback names ("Deux threads qui appellent incrementer(30)"...),
# so that a seed printed by the grader replays here; the seeds explored by default are public ones.
WHAT_INCREMENTER = "Deux threads qui appellent incrementer(30)"
WHAT_DEPOSITS = "Trois threads qui déposent 3 × 10"
WHAT_WITHDRAWALS = "Trois threads qui retirent 60 d'un compte à 100"


def incrementer_scenario(ctx: RunRequest):
    """Two threads call incrementer(30) at once; the value is the final compteur."""
    ctx.ns["compteur"] = 0
    threads = [ctx.threading.Thread(target=ctx["incrementer"], args=(30,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return safe_value(ctx.ns["compteur"])


def _incrementer_alone(sub: Submission, seeds: Sequence[int]) -> None:
    def scenario(ctx: RunRequest):
        ctx.ns["compteur"] = 0
        ctx["incrementer"](7)
        after = ctx.ns["compteur"]
        ctx["incrementer"](0)
        return safe_value((after, ctx.ns["compteur"]))

    ex = sub.executer(["incrementer"], scenario)
    fail_on_problem(ex, "incrementer")
    if ex.valeur != (7, 7):
        raise CheckFailed(MSG_VALEUR.format(quoi="compteur après incrementer(7) puis incrementer(0)",
                                      obtenu=ex.valeur, attendu=(7, 7)))


def _incrementer_race(sub: Submission, seeds: Sequence[int]) -> None:
    explore_races(lambda g: sub.executer(["incrementer"], incrementer_scenario, g, globales=["compteur"]),
                  WHAT_INCREMENTER, 60, seeds)


def _count_value(sub: Submission, seeds: Sequence[int]) -> None:
    def scenario(ctx: RunRequest):
        ctx.ns["compteur"] = 500  # a stale value the function must reset
        first_one = ctx["compter_en_parallele"](2, 5)
        ctx.retour()
        second = ctx["compter_en_parallele"](2, 5)
        return safe_value((first_one, second))

    for seed in seeds:
        ex = sub.executer(["compter_en_parallele"], scenario, seed, references={"incrementer": GOOD_INCREMENTER})
        fail_on_problem(ex, "compter_en_parallele")
        if ex.valeur != (10, 10):
            raise SeededFailure(MSG_VALEUR.format(quoi="deux appels successifs de compter_en_parallele(2, 5)",
                                                  obtenu=ex.valeur, attendu=(10, 10)), seed)


def _count_cycle(sub: Submission, seeds: Sequence[int]) -> None:
    def scenario(ctx: RunRequest):
        ctx.ns["compteur"] = 0
        valeur = ctx["compter_en_parallele"](4, 3)
        ctx.retour()
        return safe_value(valeur)

    for seed in seeds:
        ex = sub.executer(["compter_en_parallele"], scenario, seed, references={"incrementer": GOOD_INCREMENTER})
        fail_on_problem(ex, "compter_en_parallele")
        p = check_cycle(ex.cycle, 4)
        if p:
            raise SeededFailure(p, seed)


MSG_BALANCE = "CompteBancaire : {quoi} donne un solde de {obtenu!r} au lieu de {attendu!r}."
MSG_PAS_VALUEERROR = "CompteBancaire : {quoi} doit lever ValueError (et laisser le solde inchangé)."
MSG_SOLDE_ECRIT = ("CompteBancaire : « solde » doit être en lecture seule (une propriété sans setter) : "
                   "compte.solde = 5 ne doit pas être possible.")


def _account_sequential(sub: Submission, seeds: Sequence[int]) -> None:
    def scenario(ctx: RunRequest):
        cls = ctx["CompteBancaire"]
        c = cls(80)
        findings = []
        c.deposer(20)
        findings.append(("deposer(20) sur 80", safe_value(c.solde), 100))
        c.retirer(35)
        findings.append(("retirer(35) sur 100", safe_value(c.solde), 65))
        findings.append(("CompteBancaire() sans argument", safe_value(cls().solde), 0))
        for what, action in [("retirer(70) sur 65", lambda: c.retirer(70)), ("deposer(-3)", lambda: c.deposer(-3)),
                             ("retirer(0)", lambda: c.retirer(0))]:
            try:
                action()
                findings.append(("exception", what, None))
            except ValueError:
                pass
            findings.append((what, safe_value(c.solde), 65))
        try:
            c.solde = 5
            findings.append(("ecriture", None, None))
        except AttributeError:
            pass
        return findings

    ex = sub.executer(["CompteBancaire"], scenario)
    fail_on_problem(ex, "CompteBancaire")
    for what, obtained, attendu in ex.valeur:
        if what == "exception":
            raise CheckFailed(MSG_PAS_VALUEERROR.format(quoi=obtained))
        if what == "ecriture":
            raise CheckFailed(MSG_SOLDE_ECRIT)
        if type(obtained) not in (int, float) or obtained != attendu:
            raise CheckFailed(MSG_BALANCE.format(quoi=what, obtenu=obtained, attendu=attendu))


def _account(ctx: RunRequest, solde: float):
    return ctx.observateur.instrument(ctx["CompteBancaire"], ctx.ordonnanceur)(solde)


def deposits_scenario(ctx: RunRequest):
    """Three threads deposit 10 three times each on an account at 0."""
    compte = _account(ctx, 0)
    threads = [ctx.threading.Thread(target=lambda: [compte.deposer(10) for _ in range(3)]) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return safe_value(compte.solde)


def withdrawals_scenario(ctx: RunRequest):
    """Three threads withdraw 60 from an account at 100: one succeeds."""
    compte = _account(ctx, 100)
    passed = []

    def retirer():
        try:
            compte.retirer(60)
            passed.append(1)
        except ValueError:
            pass

    threads = [ctx.threading.Thread(target=retirer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return safe_value((compte.solde, len(passed)))


def _account_withdrawals(sub: Submission, seeds: Sequence[int]) -> None:
    explore_races(lambda g: sub.executer(["CompteBancaire"], withdrawals_scenario, g), WHAT_WITHDRAWALS, (40, 1), seeds)


def _account_deposits(sub: Submission, seeds: Sequence[int]) -> None:
    explore_races(lambda g: sub.executer(["CompteBancaire"], deposits_scenario, g), WHAT_DEPOSITS, 90, seeds)


def _seeds(debut: int, n: int) -> tuple[int, ...]:
    return tuple(range(debut, debut + n))


TASKS_THREADS = [
    PublicTask("01-bases", "afficher_message", (
        PublicCheck("affiche « Message : Salut » après 0,75 s (horloge virtuelle)", _show),)),
    PublicTask("01-bases", "lancer_threads", (
        PublicCheck("démarre les 3 threads, puis les attend tous ; durée proche du plus long délai",
                    _run_cycle, (711, 712)),
        PublicCheck("renvoie les threads dans l'ordre des messages", _run_order, (713,)))),
    PublicTask("01-bases", "attendre", (
        PublicCheck("True si le thread finit à temps, False sinon, sans bloquer plus que delai_max", _wait),)),
    PublicTask("02-verrous", "incrementer", (
        PublicCheck("incrementer(7) ajoute 7 (un seul thread)", _incrementer_alone),
        PublicCheck("aucune mise à jour perdue : 2 threads × incrementer(30)", _incrementer_race,
                    _seeds(1000, 40)))),
    PublicTask("02-verrous", "compter_en_parallele", (
        PublicCheck("remet compteur à 0 et renvoie 2 × 5 = 10, deux fois de suite", _count_value, (1101,)),
        PublicCheck("démarre les 4 threads avant d'attendre, puis les attend tous", _count_cycle, (1102, 1103)))),
    PublicTask("02-verrous", "CompteBancaire", (
        PublicCheck("dépôts, retraits, refus (ValueError), solde en lecture seule", _account_sequential),
        PublicCheck("3 retraits concurrents de 60 sur 100 : un seul réussit", _account_withdrawals, _seeds(1200, 40)),
        PublicCheck("aucun dépôt perdu : 3 threads × 3 dépôts de 10", _account_deposits, _seeds(1300, 40)))),
]
