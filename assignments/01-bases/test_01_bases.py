"""Hidden grader of 01-bases: delays on the virtual clock, thread lifecycle from the stand-in log."""
from __future__ import annotations

import pytest

from autograder.probes.api import Echec, valeur_sure
from autograder.probes.francais import decimal, nombre
from autograder.probes.verdicts import MSG_APPEL_DIRECT, exiger_propre, probleme, verifier_cycle

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

MSG_TEXTE = "« afficher_message('Bonjour', 0.5) » doit afficher exactement {attendu!r}, pas {obtenu!r}."
MSG_TROP_TOT = ("« afficher_message(…, {delai}) » a affiché au bout de {t} s : attendez d'abord « delai » "
                "secondes (time.sleep), puis affichez.")
MSG_TROP_LONG = "« afficher_message(…, {delai}) » a pris {t} s au lieu de {attendu} s."


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
            raise Echec(MSG_TROP_TOT.format(delai=delai, t=decimal(premier)))
        if ex.duree_virtuelle > delai + TOLERANCE:
            raise Echec(MSG_TROP_LONG.format(delai=delai, t=decimal(ex.duree_virtuelle), attendu=nombre(delai)))


MESSAGES = [("un", 1.0), ("deux", 2.0), ("trois", 0.5)]
MSG_RETOUR = "lancer_threads doit renvoyer la liste des {n} threads créés, dans l'ordre des messages ; reçu : {obtenu}."
MSG_RETOUR_LONGUEUR = "une liste de {k} thread(s)"
# Virtual seconds over the longest delay still called "concurrent": overlapping threads take 2 s here, one after
# the other 3.5 s. Returning late for another reason (a sleep instead of join) is the lifecycle check's business.
MARGE_CONCURRENCE = 0.5
MSG_ORDRE = ("Le thread en position {i} de la liste renvoyée a affiché {obtenu!r} au lieu de {attendu!r} : "
             "renvoyez les threads dans l'ordre des messages.")
MSG_LAMBDA = ("Les threads ont affiché {obtenu} au lieu de {attendu} : la fonction (lambda) passée en target lit "
              "la variable de boucle au moment où le thread s'exécute, quand la boucle est déjà plus loin. "
              "Passez les valeurs au thread : threading.Thread(target=afficher_message, args=(message, delai)).")
MSG_DUREE = ("lancer_threads a duré {t} s pour des délais de 1, 2 et 0,5 s : les threads doivent "
             "tourner en même temps (environ {max} s, le plus long délai), pas l'un après l'autre ({somme} s).")


def _lancer(ctx, attendre_fin: bool = False):
    retour = ctx["lancer_threads"](list(MESSAGES))
    ctx.retour()
    duree = ctx.ordonnanceur.horloge
    directs = sum(1 for th, _m in ctx["appels_afficher"] if th is ctx.threading.main_thread())
    if type(retour) is not list or not all(isinstance(t, ctx.threading.Thread) for t in retour):
        return ("retour", valeur_sure(retour)), duree, directs
    if attendre_fin:
        # The order is judged once every thread has printed: a missing join is the lifecycle check's
        # business, and must not cost this check too. (Never in that check's run: these joins would count.)
        for th in retour:
            if th.is_alive():
                th.join(timeout=60)  # virtual seconds
    par_thread = {id(th): msg for th, msg in ctx["appels_afficher"]}
    return ("ok", [par_thread.get(id(t)) for t in retour]), duree, directs


def _diagnostic(valeur, ordre: bool) -> None:
    """Mistakes that make a later verdict point the wrong way: name them first."""
    (genre, contenu), _duree, directs = valeur
    if directs:
        raise Echec(MSG_APPEL_DIRECT.format(fonction="afficher_message", n=directs))
    if not ordre:
        return
    attendus = [m for m, _d in MESSAGES]
    if genre == "ok" and None not in contenu and len(contenu) == len(attendus) and sorted(contenu) != sorted(attendus):
        raise Echec(MSG_LAMBDA.format(obtenu=contenu, attendu=attendus))


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
    _diagnostic(ex.valeur, ordre=True)
    (genre, contenu), _, _ = ex.valeur
    if genre != "ok":
        raise Echec(MSG_RETOUR.format(n=len(MESSAGES), obtenu=repr(contenu)))
    if len(contenu) != len(MESSAGES):
        raise Echec(MSG_RETOUR.format(n=len(MESSAGES), obtenu=MSG_RETOUR_LONGUEUR.format(k=len(contenu))))
    for i, ((attendu, _d), obtenu) in enumerate(zip(MESSAGES, contenu), start=1):
        if obtenu != attendu:
            raise Echec(MSG_ORDRE.format(i=i, obtenu=obtenu, attendu=attendu))


@pytest.mark.tache("lancer_threads", poids=1)
def test_lancer_threads_concurrents(soumission):
    """La durée totale est proche du plus long délai, pas de leur somme."""
    ex = soumission.executer(["lancer_threads"], _lancer, references={"afficher_message": REFERENCE_AFFICHER})
    exiger_propre(ex, "lancer_threads")
    _diagnostic(ex.valeur, ordre=False)
    _, duree, _ = ex.valeur
    plus_long, somme = max(d for _, d in MESSAGES), sum(d for _, d in MESSAGES)
    if duree > plus_long + MARGE_CONCURRENCE:
        raise Echec(MSG_DUREE.format(t=decimal(duree), max=nombre(plus_long), somme=nombre(somme)))


# Virtual seconds attendre may take after the thread's end: polling with short sleeps still "returns as soon as
# the thread has ended"; sleeping the whole delai_max does not.
MARGE_RETOUR = 0.1
MSG_ATTENDRE_BOOL = "attendre doit renvoyer True ou False (un booléen), pas {obtenu!r}."
MSG_ATTENDRE_FAUX = "« attendre(thread, {delai}) » sur un thread qui {cas} doit renvoyer {attendu}, pas {obtenu}."
MSG_ATTENDRE_LONG = ("« attendre(thread, {delai}) » a bloqué {t} s : la fonction ne doit jamais attendre beaucoup "
                     "plus que delai_max. Utilisez join(timeout=delai_max).")
MSG_ATTENDRE_TARDIF = ("« attendre(thread, {delai}) » a rendu la main au bout de {t} s alors que le thread s'est "
                       "terminé au bout de {fin} s : renvoyez dès que le thread se termine, sans attendre tout le "
                       "délai. Utilisez join(timeout=delai_max).")


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
    """attendre renvoie True si le thread a fini à temps (dès sa fin), False sinon, sans bloquer plus que delai_max."""
    ex = soumission.executer(["attendre"], _cas_attendre(duree, delai))
    exiger_propre(ex, "attendre")
    r, t = ex.valeur
    if type(r) is not bool:
        raise Echec(MSG_ATTENDRE_BOOL.format(obtenu=r))
    if r is not attendu:
        raise Echec(MSG_ATTENDRE_FAUX.format(delai=delai, cas=cas, attendu=attendu, obtenu=r))
    if t > delai + TOLERANCE:
        raise Echec(MSG_ATTENDRE_LONG.format(delai=delai, t=decimal(t)))
    if duree is not None and t > duree + MARGE_RETOUR:
        raise Echec(MSG_ATTENDRE_TARDIF.format(delai=delai, t=decimal(t), fin=nombre(duree)))
