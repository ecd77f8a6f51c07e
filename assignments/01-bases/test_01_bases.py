"""Hidden grader of 01-bases: delays on the virtual clock, thread lifecycle from the stand-in log."""
from __future__ import annotations

import pytest

from autograder.probes.api import Echec, valeur_sure
from autograder.probes.verdicts import exiger_propre, probleme, verifier_cycle

# Known-good afficher_message, so that lancer_threads is judged on its own.
REFERENCE_AFFICHER = '''
import threading
import time
appels_afficher = []
def afficher_message(message, delai):
    time.sleep(delai)
    appels_afficher.append((threading.current_thread(), message))
    print(f"Message : {message}")
'''
TOLERANCE = 0.01  # virtual seconds: the clock also moves by 1 µs per traced step

MSG_TEXTE = "afficher_message('Bonjour', 0.5) doit afficher exactement {attendu!r}, pas {obtenu!r}."
MSG_TROP_TOT = ("afficher_message(…, {delai}) a affiché au bout de {t:.2f} s : attendez d'abord « delai » "
                "secondes (time.sleep), puis affichez.")
MSG_TROP_LONG = "afficher_message(…, {delai}) a pris {t:.2f} s au lieu de {delai} s."


@pytest.mark.tache("afficher_message", poids=1)
def test_afficher_message_texte(soumission):
    """afficher_message affiche exactement « Message : … »."""
    ex = soumission.executer(["afficher_message"], lambda ctx: ctx["afficher_message"]("Bonjour", 0.5))
    exiger_propre(ex, "afficher_message")
    if ex.sortie != "Message : Bonjour\n":
        raise Echec(MSG_TEXTE.format(attendu="Message : Bonjour", obtenu=ex.sortie))


@pytest.mark.tache("afficher_message", poids=1)
def test_afficher_message_delai(soumission):
    """afficher_message attend « delai » secondes avant d'afficher (horloge virtuelle)."""
    for delai in (2.0, 0.25):
        ex = soumission.executer(["afficher_message"], lambda ctx: ctx["afficher_message"]("x", delai))
        exiger_propre(ex, "afficher_message")
        premier = ex.horodatage[0][0] if ex.horodatage else ex.duree_virtuelle
        if premier < delai - TOLERANCE:
            raise Echec(MSG_TROP_TOT.format(delai=delai, t=premier))
        if ex.duree_virtuelle > delai + TOLERANCE:
            raise Echec(MSG_TROP_LONG.format(delai=delai, t=ex.duree_virtuelle))


MESSAGES = [("un", 1.0), ("deux", 2.0), ("trois", 0.5)]
MSG_RETOUR = "lancer_threads doit renvoyer la liste des {n} threads créés, dans l'ordre des messages ; reçu : {obtenu}."
MSG_ORDRE = ("Le thread n°{i} renvoyé a affiché {obtenu!r} au lieu de {attendu!r} : renvoyez les threads dans "
             "l'ordre des messages.")
MSG_DUREE = ("lancer_threads a duré {t:.2f} s pour des délais de 1, 2 et 0,5 s : les threads doivent "
             "tourner en même temps (environ {max} s, le plus long délai), pas l'un après l'autre ({somme} s).")


def _lancer(ctx, attendre_fin: bool = False):
    retour = ctx["lancer_threads"](list(MESSAGES))
    ctx.retour()
    duree = ctx.ordonnanceur.horloge
    if type(retour) is not list or not all(isinstance(t, ctx.threading.Thread) for t in retour):
        return ("retour", valeur_sure(retour)), duree
    if attendre_fin:
        # The order is judged once every thread has printed: a missing join is the lifecycle check's
        # business, and must not cost this check too. (Never in that check's run: these joins would count.)
        for th in retour:
            if th.is_alive():
                th.join(timeout=60)  # virtual seconds
    par_thread = {id(th): msg for th, msg in ctx["appels_afficher"]}
    return ("ok", [par_thread.get(id(t)) for t in retour]), duree


@pytest.mark.tache("lancer_threads", poids=2)
def test_lancer_threads_cycle(soumission):
    """lancer_threads démarre tous les threads, puis les attend tous ; aucun ne tourne encore au retour."""
    for graine in range(2):
        ex = soumission.executer(["lancer_threads"], _lancer, graine, references={"afficher_message": REFERENCE_AFFICHER})
        p = probleme(ex, "lancer_threads") or verifier_cycle(ex.cycle, len(MESSAGES))
        if p:
            raise Echec(p)


@pytest.mark.tache("lancer_threads", poids=1)
def test_lancer_threads_retour(soumission):
    """lancer_threads renvoie les threads dans l'ordre des messages."""
    ex = soumission.executer(["lancer_threads"], lambda ctx: _lancer(ctx, attendre_fin=True),
                             references={"afficher_message": REFERENCE_AFFICHER})
    exiger_propre(ex, "lancer_threads")
    (genre, contenu), _ = ex.valeur
    if genre != "ok" or len(contenu) != len(MESSAGES):
        raise Echec(MSG_RETOUR.format(n=len(MESSAGES), obtenu=contenu))
    for i, ((attendu, _d), obtenu) in enumerate(zip(MESSAGES, contenu), start=1):
        if obtenu != attendu:
            raise Echec(MSG_ORDRE.format(i=i, obtenu=obtenu, attendu=attendu))


@pytest.mark.tache("lancer_threads", poids=1)
def test_lancer_threads_concurrents(soumission):
    """La durée totale est proche du plus long délai, pas de leur somme."""
    ex = soumission.executer(["lancer_threads"], _lancer, references={"afficher_message": REFERENCE_AFFICHER})
    exiger_propre(ex, "lancer_threads")
    _, duree = ex.valeur
    plus_long, somme = max(d for _, d in MESSAGES), sum(d for _, d in MESSAGES)
    if duree > plus_long + TOLERANCE:
        raise Echec(MSG_DUREE.format(t=duree, max=plus_long, somme=somme))


MSG_ATTENDRE_BOOL = "attendre doit renvoyer True ou False (un booléen), pas {obtenu!r}."
MSG_ATTENDRE_FAUX = "attendre(thread, {delai}) sur un thread qui {cas} doit renvoyer {attendu}, pas {obtenu}."
MSG_ATTENDRE_LONG = ("attendre(thread, {delai}) a bloqué {t:.2f} s : il ne doit jamais attendre beaucoup plus "
                     "que delai_max. Utilisez join(timeout=delai_max).")


def _cas_attendre(duree_thread: float | None, delai: float):
    """A stand-in thread that runs ``duree_thread`` virtual seconds (None: until released), then attendre."""
    def scenario(ctx):
        fin = ctx.threading.Event()
        cible = ctx.threading.Thread(target=(lambda: fin.wait()) if duree_thread is None
                                     else (lambda: ctx.time.sleep(duree_thread)))
        cible.start()
        avant = ctx.ordonnanceur.horloge
        r = ctx["attendre"](cible, delai)
        apres = ctx.ordonnanceur.horloge
        fin.set()
        return valeur_sure(r), apres - avant
    return scenario


@pytest.mark.tache("attendre", poids=1)
@pytest.mark.parametrize("duree, delai, attendu, cas", [
    (1.0, 5.0, True, "se termine au bout de 1 s"),
    (10.0, 2.0, False, "tourne encore 10 s"),
    (None, 1.0, False, "ne se termine jamais"),
])
def test_attendre(soumission, duree, delai, attendu, cas):
    """attendre renvoie True si le thread a fini à temps, False sinon, sans bloquer plus que delai_max."""
    ex = soumission.executer(["attendre"], _cas_attendre(duree, delai))
    exiger_propre(ex, "attendre")
    r, t = ex.valeur
    if type(r) is not bool:
        raise Echec(MSG_ATTENDRE_BOOL.format(obtenu=r))
    if r is not attendu:
        raise Echec(MSG_ATTENDRE_FAUX.format(delai=delai, cas=cas, attendu=attendu, obtenu=r))
    if t > delai + TOLERANCE:
        raise Echec(MSG_ATTENDRE_LONG.format(delai=delai, t=t))
