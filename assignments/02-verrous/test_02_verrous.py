"""Hidden grader of 02-verrous: race-freedom by happens-before, stories from seeded schedules."""
from __future__ import annotations

import pytest

from autograder.probes.api import CheckFailed, safe_value
from autograder.probes.verdicts import (MSG_APPEL_DIRECT, MSG_RUN, MSG_VALEUR, require_own, problem, race_free,
                                        check_cycle)

# A known-good incrementer: compter_en_parallele is judged on its own, never on the student's incrementer.
REFERENCE_INCREMENTER = '''
import threading
compteur = 0
verrou = threading.Lock()
appels_incrementer = []
def incrementer(nb_fois):
    global compteur
    appels_incrementer.append((threading.current_thread(), nb_fois))
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
'''


# The same, slow: each call first sleeps one virtual second, so a caller that waits in a loop instead of
# blocking in join() spins for a million steps and is caught.
REFERENCE_INCREMENTER_SLOW = REFERENCE_INCREMENTER.replace("import threading", "import threading\nimport time").replace(
    "    global compteur\n", "    global compteur\n    time.sleep(1)\n")
MSG_INCREMENTER_CALLS = ("compter_en_parallele doit appeler incrementer({nb_fois}) une fois dans chacun des {n} "
                          "threads ; appels observés : {appels}.")


def _incrementer_in_parallel(nb_threads: int, nb_fois: int):
    def scenario(ctx):
        ctx.ns["compteur"] = 0
        threads = [ctx.threading.Thread(target=ctx["incrementer"], args=(nb_fois,)) for _ in range(nb_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return safe_value(ctx.ns["compteur"])
    return scenario


@pytest.mark.tache("incrementer", poids=1)
def test_incrementer_single(submission):
    """incrementer(n) ajoute exactement n à compteur (un seul thread)."""
    def scenario(ctx):
        ctx.ns["compteur"] = 0
        ctx["incrementer"](5)
        after_five = ctx.ns["compteur"]
        ctx["incrementer"](0)
        return safe_value((after_five, ctx.ns["compteur"]))

    ex = submission.executer(["incrementer"], scenario)
    require_own(ex, "incrementer")
    if ex.valeur != (5, 5):
        raise CheckFailed(MSG_VALEUR.format(quoi="Compteur après incrementer(5) puis incrementer(0)",
                                      obtenu=ex.valeur, attendu=(5, 5)))


@pytest.mark.tache("incrementer", poids=3)
def test_incrementer_without_race(submission):
    """Aucune mise à jour de compteur n'est perdue quand plusieurs threads appellent incrementer."""
    message = race_free(
        lambda g: submission.executer(["incrementer"], _incrementer_in_parallel(2, 30), g, globales=["compteur"]),
        "incrementer", 60, scenario="deux threads appellent incrementer(30) en même temps")
    if message:
        raise CheckFailed(message)


def _count(nb_threads: int, nb_fois: int):
    def scenario(ctx):
        ctx.ns["compteur"] = 1000  # a stale value the function must reset
        first_one = ctx["compter_en_parallele"](nb_threads, nb_fois)
        ctx.retour()
        second = ctx["compter_en_parallele"](nb_threads, nb_fois)
        return safe_value((first_one, second))
    return scenario


@pytest.mark.tache("compter_en_parallele", poids=1)
def test_count_result(submission):
    """compter_en_parallele remet compteur à 0 et renvoie nb_threads × nb_fois."""
    ex = submission.executer(["compter_en_parallele"], _count(3, 4), references={"incrementer": REFERENCE_INCREMENTER})
    require_own(ex, "compter_en_parallele")
    if ex.valeur != (12, 12):
        raise CheckFailed(MSG_VALEUR.format(quoi="Deux appels successifs de compter_en_parallele(3, 4)",
                                      obtenu=ex.valeur, attendu=(12, 12)))


@pytest.mark.tache("compter_en_parallele", poids=1)
def test_count_threads(submission):
    """compter_en_parallele lance incrementer dans chacun de ses threads, les démarre tous avant d'attendre,
    puis les attend tous (dans join(), sans boucle active)."""
    for seed in range(2):
        ex = submission.executer(["compter_en_parallele"], _count_threads, seed,
                                 references={"incrementer": REFERENCE_INCREMENTER_SLOW})
        p = problem(ex, "compter_en_parallele")
        if p:
            raise CheckFailed(p)
        _valeur, calls = ex.valeur
        p = check_cycle(ex.cycle, 3)
        if p == MSG_RUN:  # run() also runs incrementer in the calling thread: say why
            raise CheckFailed(p)
        directs = sum(1 for nom, _n in calls if nom == "T0")
        if directs:
            raise CheckFailed(MSG_APPEL_DIRECT.format(fonction="incrementer", n=directs))
        if p:
            raise CheckFailed(p)
        if sorted(n for _name, n in calls) != [2, 2, 2] or len({nom for nom, _n in calls}) != 3:
            raise CheckFailed(MSG_INCREMENTER_CALLS.format(nb_fois=2, n=3, appels=", ".join(
                f"incrementer({n}) dans {nom}" for nom, n in calls) or "aucun"))


def _count_threads(ctx):
    ctx.ns["compteur"] = 0
    valeur = ctx["compter_en_parallele"](3, 2)
    ctx.retour()
    main = ctx.threading.main_thread()
    calls = [("T0" if th is main else ctx.cycle.label(th), safe_value(n)) for th, n in ctx["appels_incrementer"]]
    return safe_value(valeur), calls


def _account(ctx, solde):
    return ctx.observateur.instrument(ctx["CompteBancaire"], ctx.ordonnanceur)(solde)


MSG_BALANCE = "CompteBancaire : {quoi} donne un solde de {obtenu!r} au lieu de {attendu!r}."
MSG_PAS_VALUEERROR = "CompteBancaire : {quoi} doit lever ValueError (et laisser le solde inchangé)."
MSG_PARTAGE = ("CompteBancaire : après CompteBancaire(100) puis CompteBancaire(7), le premier compte a un solde de "
               "{obtenu!r} au lieu de 100 : le solde est partagé par tous les comptes (attribut de classe ou "
               "variable globale). Rangez-le dans l'objet : self._solde = solde_initial dans __init__.")
MSG_REFUS_A_TORT = ("CompteBancaire : retirer(40) sur un compte à 40 a levé ValueError : retirer tout le solde est "
                    "permis, seul un montant supérieur au solde est refusé (montant > solde).")
MSG_SOLDE_ECRIT = ("CompteBancaire : « solde » doit être en lecture seule (une propriété sans setter) : "
                   "compte.solde = 10 ne doit pas être possible.")


@pytest.mark.tache("CompteBancaire", poids=2)
def test_account_sequential(submission):
    """Dépôts, retraits, refus (ValueError) et solde en lecture seule, sans threads."""
    def scenario(ctx):
        cls = ctx["CompteBancaire"]
        a, b = cls(100), cls(7)
        b.deposer(5)
        if safe_value(a.solde) != 100:
            return [("partage", safe_value(a.solde), 100)]
        c = cls(100)
        findings = []
        c.deposer(50)
        findings.append(("deposer(50) sur 100", safe_value(c.solde), 150))
        c.retirer(30)
        findings.append(("retirer(30) sur 150", safe_value(c.solde), 120))
        d = cls(40)
        try:
            d.retirer(40)
        except ValueError:
            return [("refus", None, None)]
        findings.append(("retirer(40) sur un compte à 40 (tout le solde)", safe_value(d.solde), 0))
        findings.append(("CompteBancaire() sans argument", safe_value(cls().solde), 0))
        for what, action in [("retirer(500) sur 120", lambda: c.retirer(500)),
                             ("deposer(0)", lambda: c.deposer(0)), ("deposer(-5)", lambda: c.deposer(-5)),
                             ("retirer(0)", lambda: c.retirer(0)), ("retirer(-5)", lambda: c.retirer(-5))]:
            try:
                action()
                findings.append(("exception", what, None))
            except ValueError:
                pass
            findings.append((what, safe_value(c.solde), 120))
        try:
            c.solde = 10
            findings.append(("ecriture", None, None))
        except AttributeError:
            pass
        return findings

    ex = submission.executer(["CompteBancaire"], scenario)
    require_own(ex, "CompteBancaire")
    for what, obtained, attendu in ex.valeur:
        if what == "refus":
            raise CheckFailed(MSG_REFUS_A_TORT)
        if what == "partage":
            raise CheckFailed(MSG_PARTAGE.format(obtenu=obtained))
        if what == "exception":
            raise CheckFailed(MSG_PAS_VALUEERROR.format(quoi=obtained))
        if what == "ecriture":
            raise CheckFailed(MSG_SOLDE_ECRIT)
        if type(obtained) not in (int, float) or obtained != attendu:
            raise CheckFailed(MSG_BALANCE.format(quoi=what, obtenu=obtained, attendu=attendu))


def _deposits(ctx):
    compte = _account(ctx, 0)
    threads = [ctx.threading.Thread(target=lambda: [compte.deposer(10) for _ in range(3)]) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return safe_value(compte.solde)


@pytest.mark.tache("CompteBancaire", poids=1)
def test_account_concurrent_deposits(submission):
    """Aucun dépôt n'est perdu quand trois threads déposent en même temps."""
    message = race_free(lambda g: submission.executer(["CompteBancaire"], _deposits, g),
                          "CompteBancaire", 90, scenario="trois threads déposent 3 × 10 en même temps sur un compte à 0")
    if message:
        raise CheckFailed(message)


def _withdrawals(ctx):
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


@pytest.mark.tache("CompteBancaire", poids=1)
def test_account_no_overdraft(submission):
    """Trois retraits concurrents de 60 sur 100 : un seul réussit, le solde ne devient jamais négatif."""
    message = race_free(lambda g: submission.executer(["CompteBancaire"], _withdrawals, g),
                          "CompteBancaire", (40, 1), scenario="trois threads retirent 60 en même temps d'un compte à 100")
    if message:
        raise CheckFailed(message)


def _deposits_and_withdrawals(ctx):
    compte = _account(ctx, 100)
    threads = [ctx.threading.Thread(target=lambda: [compte.deposer(10) for _ in range(3)]),
               ctx.threading.Thread(target=lambda: [compte.retirer(10) for _ in range(3)])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return safe_value(compte.solde)


@pytest.mark.tache("CompteBancaire", poids=1)
def test_account_concurrent_deposits_and_withdrawals(submission):
    """Un dépôt et un retrait en même temps : rien n'est perdu et aucun interblocage (ordre des verrous)."""
    # A switch may happen at every step (no sticky turns): two locks taken in opposite orders by deposer
    # and retirer deadlock within a few seeds, as they would with real threads.
    message = race_free(lambda g: submission.executer(["CompteBancaire"], _deposits_and_withdrawals, g,
                                                        strategie="uniforme"),
                          "CompteBancaire", 100, seeds_min=8, seeds_max=40,
                          scenario="un thread dépose 3 × 10 pendant qu'un autre retire 3 × 10 d'un compte à 100")
    if message:
        raise CheckFailed(message)
