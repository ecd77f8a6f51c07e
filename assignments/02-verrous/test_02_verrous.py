"""Hidden grader of 02-verrous: race-freedom by happens-before, stories from seeded schedules."""
from __future__ import annotations

import pytest

from autograder.probes.api import Echec, valeur_sure
from autograder.probes.verdicts import (MSG_APPEL_DIRECT, MSG_RUN, MSG_VALEUR, exiger_propre, probleme, sans_course,
                                        verifier_cycle)

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
REFERENCE_INCREMENTER_LENT = REFERENCE_INCREMENTER.replace("import threading", "import threading\nimport time").replace(
    "    global compteur\n", "    global compteur\n    time.sleep(1)\n")
MSG_APPELS_INCREMENTER = ("compter_en_parallele doit appeler incrementer({nb_fois}) une fois dans chacun des {n} "
                          "threads ; appels observés : {appels}.")


def _incrementer_en_parallele(nb_threads: int, nb_fois: int):
    def scenario(ctx):
        ctx.ns["compteur"] = 0
        threads = [ctx.threading.Thread(target=ctx["incrementer"], args=(nb_fois,)) for _ in range(nb_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return valeur_sure(ctx.ns["compteur"])
    return scenario


@pytest.mark.tache("incrementer", poids=1)
def test_incrementer_seul(soumission):
    """incrementer(n) ajoute exactement n à compteur (un seul thread)."""
    def scenario(ctx):
        ctx.ns["compteur"] = 0
        ctx["incrementer"](5)
        apres_cinq = ctx.ns["compteur"]
        ctx["incrementer"](0)
        return valeur_sure((apres_cinq, ctx.ns["compteur"]))

    ex = soumission.executer(["incrementer"], scenario)
    exiger_propre(ex, "incrementer")
    if ex.valeur != (5, 5):
        raise Echec(MSG_VALEUR.format(quoi="Compteur après incrementer(5) puis incrementer(0)",
                                      obtenu=ex.valeur, attendu=(5, 5)))


@pytest.mark.tache("incrementer", poids=3)
def test_incrementer_sans_course(soumission):
    """Aucune mise à jour de compteur n'est perdue quand plusieurs threads appellent incrementer."""
    message = sans_course(
        lambda g: soumission.executer(["incrementer"], _incrementer_en_parallele(2, 30), g, globales=["compteur"]),
        "incrementer", 60, scenario="deux threads appellent incrementer(30) en même temps")
    if message:
        raise Echec(message)


def _compter(nb_threads: int, nb_fois: int):
    def scenario(ctx):
        ctx.ns["compteur"] = 1000  # a stale value the function must reset
        premier = ctx["compter_en_parallele"](nb_threads, nb_fois)
        ctx.retour()
        second = ctx["compter_en_parallele"](nb_threads, nb_fois)
        return valeur_sure((premier, second))
    return scenario


@pytest.mark.tache("compter_en_parallele", poids=1)
def test_compter_resultat(soumission):
    """compter_en_parallele remet compteur à 0 et renvoie nb_threads × nb_fois."""
    ex = soumission.executer(["compter_en_parallele"], _compter(3, 4), references={"incrementer": REFERENCE_INCREMENTER})
    exiger_propre(ex, "compter_en_parallele")
    if ex.valeur != (12, 12):
        raise Echec(MSG_VALEUR.format(quoi="Deux appels successifs de compter_en_parallele(3, 4)",
                                      obtenu=ex.valeur, attendu=(12, 12)))


@pytest.mark.tache("compter_en_parallele", poids=1)
def test_compter_threads(soumission):
    """compter_en_parallele lance incrementer dans chacun de ses threads, les démarre tous avant d'attendre,
    puis les attend tous (dans join(), sans boucle active)."""
    for graine in range(2):
        ex = soumission.executer(["compter_en_parallele"], _compter_threads, graine,
                                 references={"incrementer": REFERENCE_INCREMENTER_LENT})
        p = probleme(ex, "compter_en_parallele")
        if p:
            raise Echec(p)
        _valeur, appels = ex.valeur
        p = verifier_cycle(ex.cycle, 3)
        if p == MSG_RUN:  # run() also runs incrementer in the calling thread: say why
            raise Echec(p)
        directs = sum(1 for nom, _n in appels if nom == "T0")
        if directs:
            raise Echec(MSG_APPEL_DIRECT.format(fonction="incrementer", n=directs))
        if p:
            raise Echec(p)
        if sorted(n for _nom, n in appels) != [2, 2, 2] or len({nom for nom, _n in appels}) != 3:
            raise Echec(MSG_APPELS_INCREMENTER.format(nb_fois=2, n=3, appels=", ".join(
                f"incrementer({n}) dans {nom}" for nom, n in appels) or "aucun"))


def _compter_threads(ctx):
    ctx.ns["compteur"] = 0
    valeur = ctx["compter_en_parallele"](3, 2)
    ctx.retour()
    principal = ctx.threading.main_thread()
    appels = [("T0" if th is principal else ctx.cycle.libelle(th), valeur_sure(n)) for th, n in ctx["appels_incrementer"]]
    return valeur_sure(valeur), appels


def _compte(ctx, solde):
    return ctx.observateur.instrumenter(ctx["CompteBancaire"], ctx.ordonnanceur)(solde)


MSG_SOLDE = "CompteBancaire : {quoi} donne un solde de {obtenu!r} au lieu de {attendu!r}."
MSG_PAS_VALUEERROR = "CompteBancaire : {quoi} doit lever ValueError (et laisser le solde inchangé)."
MSG_PARTAGE = ("CompteBancaire : après CompteBancaire(100) puis CompteBancaire(7), le premier compte a un solde de "
               "{obtenu!r} au lieu de 100 : le solde est partagé par tous les comptes (attribut de classe ou "
               "variable globale). Rangez-le dans l'objet : self._solde = solde_initial dans __init__.")
MSG_REFUS_A_TORT = ("CompteBancaire : retirer(40) sur un compte à 40 a levé ValueError : retirer tout le solde est "
                    "permis, seul un montant supérieur au solde est refusé (montant > solde).")
MSG_SOLDE_ECRIT = ("CompteBancaire : « solde » doit être en lecture seule (une propriété sans setter) : "
                   "compte.solde = 10 ne doit pas être possible.")


@pytest.mark.tache("CompteBancaire", poids=2)
def test_compte_sequentiel(soumission):
    """Dépôts, retraits, refus (ValueError) et solde en lecture seule, sans threads."""
    def scenario(ctx):
        cls = ctx["CompteBancaire"]
        a, b = cls(100), cls(7)
        b.deposer(5)
        if valeur_sure(a.solde) != 100:
            return [("partage", valeur_sure(a.solde), 100)]
        c = cls(100)
        constats = []
        c.deposer(50)
        constats.append(("deposer(50) sur 100", valeur_sure(c.solde), 150))
        c.retirer(30)
        constats.append(("retirer(30) sur 150", valeur_sure(c.solde), 120))
        d = cls(40)
        try:
            d.retirer(40)
        except ValueError:
            return [("refus", None, None)]
        constats.append(("retirer(40) sur un compte à 40 (tout le solde)", valeur_sure(d.solde), 0))
        constats.append(("CompteBancaire() sans argument", valeur_sure(cls().solde), 0))
        for quoi, action in [("retirer(500) sur 120", lambda: c.retirer(500)),
                             ("deposer(0)", lambda: c.deposer(0)), ("deposer(-5)", lambda: c.deposer(-5)),
                             ("retirer(0)", lambda: c.retirer(0)), ("retirer(-5)", lambda: c.retirer(-5))]:
            try:
                action()
                constats.append(("exception", quoi, None))
            except ValueError:
                pass
            constats.append((quoi, valeur_sure(c.solde), 120))
        try:
            c.solde = 10
            constats.append(("ecriture", None, None))
        except AttributeError:
            pass
        return constats

    ex = soumission.executer(["CompteBancaire"], scenario)
    exiger_propre(ex, "CompteBancaire")
    for quoi, obtenu, attendu in ex.valeur:
        if quoi == "refus":
            raise Echec(MSG_REFUS_A_TORT)
        if quoi == "partage":
            raise Echec(MSG_PARTAGE.format(obtenu=obtenu))
        if quoi == "exception":
            raise Echec(MSG_PAS_VALUEERROR.format(quoi=obtenu))
        if quoi == "ecriture":
            raise Echec(MSG_SOLDE_ECRIT)
        if type(obtenu) not in (int, float) or obtenu != attendu:
            raise Echec(MSG_SOLDE.format(quoi=quoi, obtenu=obtenu, attendu=attendu))


def _depots(ctx):
    compte = _compte(ctx, 0)
    threads = [ctx.threading.Thread(target=lambda: [compte.deposer(10) for _ in range(3)]) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return valeur_sure(compte.solde)


@pytest.mark.tache("CompteBancaire", poids=1)
def test_compte_depots_concurrents(soumission):
    """Aucun dépôt n'est perdu quand trois threads déposent en même temps."""
    message = sans_course(lambda g: soumission.executer(["CompteBancaire"], _depots, g),
                          "CompteBancaire", 90, scenario="trois threads déposent 3 × 10 en même temps sur un compte à 0")
    if message:
        raise Echec(message)


def _retraits(ctx):
    compte = _compte(ctx, 100)
    reussis = []

    def retirer():
        try:
            compte.retirer(60)
            reussis.append(1)
        except ValueError:
            pass

    threads = [ctx.threading.Thread(target=retirer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return valeur_sure((compte.solde, len(reussis)))


@pytest.mark.tache("CompteBancaire", poids=1)
def test_compte_pas_de_decouvert(soumission):
    """Trois retraits concurrents de 60 sur 100 : un seul réussit, le solde ne devient jamais négatif."""
    message = sans_course(lambda g: soumission.executer(["CompteBancaire"], _retraits, g),
                          "CompteBancaire", (40, 1), scenario="trois threads retirent 60 en même temps d'un compte à 100")
    if message:
        raise Echec(message)


def _depots_et_retraits(ctx):
    compte = _compte(ctx, 100)
    threads = [ctx.threading.Thread(target=lambda: [compte.deposer(10) for _ in range(3)]),
               ctx.threading.Thread(target=lambda: [compte.retirer(10) for _ in range(3)])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return valeur_sure(compte.solde)


@pytest.mark.tache("CompteBancaire", poids=1)
def test_compte_depots_et_retraits_concurrents(soumission):
    """Un dépôt et un retrait en même temps : rien n'est perdu et aucun interblocage (ordre des verrous)."""
    # A switch may happen at every step (no sticky turns): two locks taken in opposite orders by deposer
    # and retirer deadlock within a few seeds, as they would with real threads.
    message = sans_course(lambda g: soumission.executer(["CompteBancaire"], _depots_et_retraits, g,
                                                        strategie="uniforme"),
                          "CompteBancaire", 100, graines_min=8, graines_max=40,
                          scenario="un thread dépose 3 × 10 pendant qu'un autre retire 3 × 10 d'un compte à 100")
    if message:
        raise Echec(message)
