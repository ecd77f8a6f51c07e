"""Public checks of 01-bases and 02-verrous: own parameters and seeds, the graders' probes and verdicts."""
from __future__ import annotations

from typing import Sequence

from .probes.francais import decimal
from .probes.api import Echec, Soumission, valeur_sure
from .probes.harness import Contexte
from .probes.verdicts import MSG_VALEUR, verifier_cycle
from .selfcheck_core import TOLERANCE, PublicCheck, PublicTask, SeededFailure, explore_races, fail_on_problem

# Known-good neighbours, so that a task is judged on its own cell only (as the graders do).
GOOD_AFFICHER = '''
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


def _afficher(sub: Soumission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["afficher_message"], lambda ctx: ctx["afficher_message"]("Salut", 0.75))
    fail_on_problem(ex, "afficher_message")
    if ex.sortie != "Message : Salut\n":
        raise Echec(MSG_TEXTE.format(attendu="Message : Salut", obtenu=ex.sortie))
    premier = ex.horodatage[0][0] if ex.horodatage else ex.duree_virtuelle
    if premier < 0.75 - TOLERANCE:
        raise Echec(MSG_TROP_TOT.format(t=decimal(premier)))
    if ex.duree_virtuelle > 0.75 + TOLERANCE:
        raise Echec(MSG_TROP_LONG.format(t=decimal(ex.duree_virtuelle)))


MESSAGES = [("a", 0.5), ("b", 1.5), ("c", 1.0)]
MSG_RETOUR = "lancer_threads doit renvoyer la liste des 3 threads créés, dans l'ordre des messages ; reçu : {obtenu}."
MSG_ORDRE = ("Le thread renvoyé en position {i} a affiché {obtenu!r} au lieu de {attendu!r} : renvoyez les threads dans "
             "l'ordre des messages.")
MSG_DUREE = ("lancer_threads a duré {t} s pour des délais de 0,5, 1,5 et 1 s : les threads doivent tourner "
             "en même temps (environ 1,5 s), pas l'un après l'autre (3 s).")


def _lancer_scenario(attendre_fin: bool):
    def scenario(ctx: Contexte):
        retour = ctx["lancer_threads"](list(MESSAGES))
        ctx.retour()
        duree = ctx.ordonnanceur.horloge
        if type(retour) is not list or not all(isinstance(t, ctx.threading.Thread) for t in retour):
            return ("retour", valeur_sure(retour)), duree
        if attendre_fin:  # order is judged once every thread printed; a missing join is another check's
            for th in retour:
                if th.is_alive():
                    th.join(timeout=60)
        par_thread = {id(th): msg for th, msg in ctx["appels_afficher"]}
        return ("ok", [par_thread.get(id(t)) for t in retour]), duree
    return scenario


def _lancer_cycle(sub: Soumission, seeds: Sequence[int]) -> None:
    for seed in seeds:
        ex = sub.executer(["lancer_threads"], _lancer_scenario(False), seed,
                          references={"afficher_message": GOOD_AFFICHER})
        fail_on_problem(ex, "lancer_threads")
        p = verifier_cycle(ex.cycle, len(MESSAGES))
        if p:
            raise SeededFailure(p, seed)
        (_genre, _contenu), duree = ex.valeur
        if duree > 1.5 + TOLERANCE:
            raise SeededFailure(MSG_DUREE.format(t=decimal(duree)), seed)


def _lancer_ordre(sub: Soumission, seeds: Sequence[int]) -> None:
    for seed in seeds:
        ex = sub.executer(["lancer_threads"], _lancer_scenario(True), seed,
                          references={"afficher_message": GOOD_AFFICHER})
        fail_on_problem(ex, "lancer_threads")
        (genre, contenu), _ = ex.valeur
        if genre != "ok" or len(contenu) != len(MESSAGES):
            raise SeededFailure(MSG_RETOUR.format(obtenu=contenu), seed)
        for i, ((attendu, _d), obtenu) in enumerate(zip(MESSAGES, contenu), start=1):
            if obtenu != attendu:
                raise SeededFailure(MSG_ORDRE.format(i=i, obtenu=obtenu, attendu=attendu), seed)


MSG_ATTENDRE_BOOL = "attendre doit renvoyer True ou False (un booléen), pas {obtenu!r}."
MSG_ATTENDRE_FAUX = "« attendre(thread, {delai}) » sur un thread qui {cas} doit renvoyer {attendu}, pas {obtenu}."
MSG_ATTENDRE_LONG = ("« attendre(thread, {delai}) » a bloqué {t} s : il ne doit jamais attendre beaucoup plus "
                     "que delai_max. Utilisez join(timeout=delai_max).")
CAS_ATTENDRE = [(0.5, 3.0, True, "se termine au bout de 0,5 s"), (4.0, 1.0, False, "tourne encore 4 s"),
                (None, 0.5, False, "ne se termine jamais")]


def _attendre(sub: Soumission, seeds: Sequence[int]) -> None:
    for duree, delai, attendu, cas in CAS_ATTENDRE:
        def scenario(ctx: Contexte, duree=duree, delai=delai):
            fin = ctx.threading.Event()
            cible = ctx.threading.Thread(target=(lambda: fin.wait()) if duree is None
                                         else (lambda: ctx.time.sleep(duree)))
            cible.start()
            avant = ctx.ordonnanceur.horloge
            r = ctx["attendre"](cible, delai)
            apres = ctx.ordonnanceur.horloge
            fin.set()
            return valeur_sure(r), apres - avant

        ex = sub.executer(["attendre"], scenario)
        fail_on_problem(ex, "attendre")
        r, t = ex.valeur
        if type(r) is not bool:
            raise Echec(MSG_ATTENDRE_BOOL.format(obtenu=r))
        if r is not attendu:
            raise Echec(MSG_ATTENDRE_FAUX.format(delai=delai, cas=cas, attendu=attendu, obtenu=r))
        if t > delai + TOLERANCE:
            raise Echec(MSG_ATTENDRE_LONG.format(delai=delai, t=decimal(t)))


# -- 02-verrous -------------------------------------------------------------------------------------
# The race scenarios are the ones the feedback names ("Deux threads qui appellent incrementer(30)"...),
# so that a seed printed by the grader replays here; the seeds explored by default are public ones.
QUOI_INCREMENTER = "Deux threads qui appellent incrementer(30)"
QUOI_DEPOTS = "Trois threads qui déposent 3 × 10"
QUOI_RETRAITS = "Trois threads qui retirent 60 d'un compte à 100"


def incrementer_scenario(ctx: Contexte):
    """Two threads call incrementer(30) at once; the value is the final compteur."""
    ctx.ns["compteur"] = 0
    threads = [ctx.threading.Thread(target=ctx["incrementer"], args=(30,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return valeur_sure(ctx.ns["compteur"])


def _incrementer_seul(sub: Soumission, seeds: Sequence[int]) -> None:
    def scenario(ctx: Contexte):
        ctx.ns["compteur"] = 0
        ctx["incrementer"](7)
        apres = ctx.ns["compteur"]
        ctx["incrementer"](0)
        return valeur_sure((apres, ctx.ns["compteur"]))

    ex = sub.executer(["incrementer"], scenario)
    fail_on_problem(ex, "incrementer")
    if ex.valeur != (7, 7):
        raise Echec(MSG_VALEUR.format(quoi="compteur après incrementer(7) puis incrementer(0)",
                                      obtenu=ex.valeur, attendu=(7, 7)))


def _incrementer_course(sub: Soumission, seeds: Sequence[int]) -> None:
    explore_races(lambda g: sub.executer(["incrementer"], incrementer_scenario, g, globales=["compteur"]),
                  QUOI_INCREMENTER, 60, seeds)


def _compter_valeur(sub: Soumission, seeds: Sequence[int]) -> None:
    def scenario(ctx: Contexte):
        ctx.ns["compteur"] = 500  # a stale value the function must reset
        premier = ctx["compter_en_parallele"](2, 5)
        ctx.retour()
        second = ctx["compter_en_parallele"](2, 5)
        return valeur_sure((premier, second))

    for seed in seeds:
        ex = sub.executer(["compter_en_parallele"], scenario, seed, references={"incrementer": GOOD_INCREMENTER})
        fail_on_problem(ex, "compter_en_parallele")
        if ex.valeur != (10, 10):
            raise SeededFailure(MSG_VALEUR.format(quoi="deux appels successifs de compter_en_parallele(2, 5)",
                                                  obtenu=ex.valeur, attendu=(10, 10)), seed)


def _compter_cycle(sub: Soumission, seeds: Sequence[int]) -> None:
    def scenario(ctx: Contexte):
        ctx.ns["compteur"] = 0
        valeur = ctx["compter_en_parallele"](4, 3)
        ctx.retour()
        return valeur_sure(valeur)

    for seed in seeds:
        ex = sub.executer(["compter_en_parallele"], scenario, seed, references={"incrementer": GOOD_INCREMENTER})
        fail_on_problem(ex, "compter_en_parallele")
        p = verifier_cycle(ex.cycle, 4)
        if p:
            raise SeededFailure(p, seed)


MSG_SOLDE = "CompteBancaire : {quoi} donne un solde de {obtenu!r} au lieu de {attendu!r}."
MSG_PAS_VALUEERROR = "CompteBancaire : {quoi} doit lever ValueError (et laisser le solde inchangé)."
MSG_SOLDE_ECRIT = ("CompteBancaire : « solde » doit être en lecture seule (une propriété sans setter) : "
                   "compte.solde = 5 ne doit pas être possible.")


def _compte_sequentiel(sub: Soumission, seeds: Sequence[int]) -> None:
    def scenario(ctx: Contexte):
        cls = ctx["CompteBancaire"]
        c = cls(80)
        constats = []
        c.deposer(20)
        constats.append(("deposer(20) sur 80", valeur_sure(c.solde), 100))
        c.retirer(35)
        constats.append(("retirer(35) sur 100", valeur_sure(c.solde), 65))
        constats.append(("CompteBancaire() sans argument", valeur_sure(cls().solde), 0))
        for quoi, action in [("retirer(70) sur 65", lambda: c.retirer(70)), ("deposer(-3)", lambda: c.deposer(-3)),
                             ("retirer(0)", lambda: c.retirer(0))]:
            try:
                action()
                constats.append(("exception", quoi, None))
            except ValueError:
                pass
            constats.append((quoi, valeur_sure(c.solde), 65))
        try:
            c.solde = 5
            constats.append(("ecriture", None, None))
        except AttributeError:
            pass
        return constats

    ex = sub.executer(["CompteBancaire"], scenario)
    fail_on_problem(ex, "CompteBancaire")
    for quoi, obtenu, attendu in ex.valeur:
        if quoi == "exception":
            raise Echec(MSG_PAS_VALUEERROR.format(quoi=obtenu))
        if quoi == "ecriture":
            raise Echec(MSG_SOLDE_ECRIT)
        if type(obtenu) not in (int, float) or obtenu != attendu:
            raise Echec(MSG_SOLDE.format(quoi=quoi, obtenu=obtenu, attendu=attendu))


def _compte(ctx: Contexte, solde: float):
    return ctx.observateur.instrumenter(ctx["CompteBancaire"], ctx.ordonnanceur)(solde)


def depots_scenario(ctx: Contexte):
    """Three threads deposit 10 three times each on an account at 0."""
    compte = _compte(ctx, 0)
    threads = [ctx.threading.Thread(target=lambda: [compte.deposer(10) for _ in range(3)]) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return valeur_sure(compte.solde)


def retraits_scenario(ctx: Contexte):
    """Three threads withdraw 60 from an account at 100: one succeeds."""
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


def _compte_retraits(sub: Soumission, seeds: Sequence[int]) -> None:
    explore_races(lambda g: sub.executer(["CompteBancaire"], retraits_scenario, g), QUOI_RETRAITS, (40, 1), seeds)


def _compte_depots(sub: Soumission, seeds: Sequence[int]) -> None:
    explore_races(lambda g: sub.executer(["CompteBancaire"], depots_scenario, g), QUOI_DEPOTS, 90, seeds)


def _graines(debut: int, n: int) -> tuple[int, ...]:
    return tuple(range(debut, debut + n))


TASKS_THREADS = [
    PublicTask("01-bases", "afficher_message", (
        PublicCheck("affiche « Message : Salut » après 0,75 s (horloge virtuelle)", _afficher),)),
    PublicTask("01-bases", "lancer_threads", (
        PublicCheck("démarre les 3 threads, puis les attend tous ; durée proche du plus long délai",
                    _lancer_cycle, (711, 712)),
        PublicCheck("renvoie les threads dans l'ordre des messages", _lancer_ordre, (713,)))),
    PublicTask("01-bases", "attendre", (
        PublicCheck("True si le thread finit à temps, False sinon, sans bloquer plus que delai_max", _attendre),)),
    PublicTask("02-verrous", "incrementer", (
        PublicCheck("incrementer(7) ajoute 7 (un seul thread)", _incrementer_seul),
        PublicCheck("aucune mise à jour perdue : 2 threads × incrementer(30)", _incrementer_course,
                    _graines(1000, 40)))),
    PublicTask("02-verrous", "compter_en_parallele", (
        PublicCheck("remet compteur à 0 et renvoie 2 × 5 = 10, deux fois de suite", _compter_valeur, (1101,)),
        PublicCheck("démarre les 4 threads avant d'attendre, puis les attend tous", _compter_cycle, (1102, 1103)))),
    PublicTask("02-verrous", "CompteBancaire", (
        PublicCheck("dépôts, retraits, refus (ValueError), solde en lecture seule", _compte_sequentiel),
        PublicCheck("3 retraits concurrents de 60 sur 100 : un seul réussit", _compte_retraits, _graines(1200, 40)),
        PublicCheck("aucun dépôt perdu : 3 threads × 3 dépôts de 10", _compte_depots, _graines(1300, 40)))),
]
