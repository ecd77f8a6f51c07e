"""Hidden grader of 01-bases: delays on the virtual clock, thread lifecycle from the stand-in log."""
from __future__ import annotations

import pytest

from autograder.probes.api import CheckFailed, safe_value
from autograder.probes.french import decimal, number
from autograder.probes.verdicts import MSG_APPEL_DIRECT, require_own, problem, check_cycle

# Known-good afficher_message, so that lancer_threads is judged on its own.
REFERENCE_SHOW_MESSAGE = '''
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
MSG_RIEN_AFFICHE = ("« afficher_message(…, {delai}) » n'a rien affiché : attendez « delai » secondes, puis affichez "
                    "le message avec print (le renvoyer ne l'affiche pas).")


@pytest.mark.tache("afficher_message", poids=1)
def test_afficher_message_text(submission):
    """afficher_message affiche exactement « Message : … »."""
    ex = submission.executer(["afficher_message"], lambda ctx: ctx["afficher_message"]("Bonjour", 0.5))
    require_own(ex, "afficher_message")
    if ex.output != "Message : Bonjour\n":
        raise CheckFailed(MSG_TEXTE.format(attendu="Message : Bonjour", obtenu=ex.output))


@pytest.mark.tache("afficher_message", poids=1)
def test_afficher_message_timeout(submission):
    """afficher_message attend « delai » secondes avant d'afficher (horloge virtuelle)."""
    for delai in (2.0, 0.25):
        ex = submission.executer(["afficher_message"], lambda ctx: ctx["afficher_message"]("x", delai))
        require_own(ex, "afficher_message")
        if not ex.horodatage:  # nothing printed: there is no display whose timing could be right
            raise CheckFailed(MSG_RIEN_AFFICHE.format(delai=delai))
        first_one = ex.horodatage[0][0]
        if first_one < delai - TOLERANCE:
            raise CheckFailed(MSG_TROP_TOT.format(delai=delai, t=decimal(first_one)))
        if ex.duree_virtuelle > delai + TOLERANCE:
            raise CheckFailed(MSG_TROP_LONG.format(delai=delai, t=decimal(ex.duree_virtuelle), attendu=number(delai)))


MESSAGES = [("un", 1.0), ("deux", 2.0), ("trois", 0.5)]
MSG_RETOUR = "lancer_threads doit renvoyer la liste des {n} threads créés, dans l'ordre des messages ; reçu : {obtenu}."
MSG_RETURN_LENGTH = "une liste de {k} thread(s)"
# Virtual seconds over the longest delay still called "concurrent": overlapping threads take 2 s here, one after
# the other 3.5 s. Returning late for another reason (a sleep instead of join) is the lifecycle check's business.
MARGIN_CONCURRENCY = 0.5
MSG_ORDRE = ("Le thread en position {i} de la liste renvoyée a affiché {obtenu!r} au lieu de {attendu!r} : "
             "renvoyez les threads dans l'ordre des messages.")
MSG_LAMBDA = ("Les threads ont affiché {obtenu} au lieu de {attendu} : la fonction (lambda) passée en target lit "
              "la variable de boucle au moment où le thread s'exécute, quand la boucle est déjà plus loin. "
              "Passez les valeurs au thread : threading.Thread(target=afficher_message, args=(message, delai)).")
MSG_DUREE = ("lancer_threads a duré {t} s pour des délais de 1, 2 et 0,5 s : les threads doivent "
             "tourner en même temps (environ {max} s, le plus long délai), pas l'un après l'autre ({somme} s).")


def _run(ctx, wait_end: bool = False):
    retour = ctx["lancer_threads"](list(MESSAGES))
    ctx.retour()
    duree = ctx.ordonnanceur.horloge
    directs = sum(1 for th, _m in ctx["appels_afficher"] if th is ctx.threading.main_thread())
    if type(retour) is not list or not all(isinstance(t, ctx.threading.Thread) for t in retour):
        return ("retour", safe_value(retour)), duree, directs
    if wait_end:
        # The order is judged once every thread has printed: a missing join is the lifecycle check's
        # business, and must not cost this check too. (Never in that check's run: these joins would count.)
        for th in retour:
            if th.is_alive():
                th.join(timeout=60)  # virtual seconds
    by_thread = {id(th): msg for th, msg in ctx["appels_afficher"]}
    return ("ok", [by_thread.get(id(t)) for t in retour]), duree, directs


def _diagnostic(valeur, order: bool) -> None:
    """Mistakes that make a later verdict point the wrong way: name them first."""
    (genre, content), _duration, directs = valeur
    if directs:
        raise CheckFailed(MSG_APPEL_DIRECT.format(fonction="afficher_message", n=directs))
    if not order:
        return
    expected = [m for m, _d in MESSAGES]
    if genre == "ok" and None not in content and len(content) == len(expected) and sorted(content) != sorted(expected):
        raise CheckFailed(MSG_LAMBDA.format(obtenu=content, attendu=expected))


@pytest.mark.tache("lancer_threads", poids=2)
def test_lancer_threads_cycle(submission):
    """lancer_threads démarre tous les threads, puis les attend tous ; aucun ne tourne encore au retour."""
    for seed in range(2):
        ex = submission.executer(["lancer_threads"], _run, seed, references={"afficher_message": REFERENCE_SHOW_MESSAGE})
        p = problem(ex, "lancer_threads") or check_cycle(ex.cycle, len(MESSAGES))
        if p:
            raise CheckFailed(p)


@pytest.mark.tache("lancer_threads", poids=1)
def test_lancer_threads_return(submission):
    """lancer_threads renvoie les threads dans l'ordre des messages."""
    ex = submission.executer(["lancer_threads"], lambda ctx: _run(ctx, wait_end=True),
                             references={"afficher_message": REFERENCE_SHOW_MESSAGE})
    require_own(ex, "lancer_threads")
    _diagnostic(ex.valeur, order=True)
    (genre, content), _, _ = ex.valeur
    if genre != "ok":
        raise CheckFailed(MSG_RETOUR.format(n=len(MESSAGES), obtenu=repr(content)))
    if len(content) != len(MESSAGES):
        raise CheckFailed(MSG_RETOUR.format(n=len(MESSAGES), obtenu=MSG_RETURN_LENGTH.format(k=len(content))))
    for i, ((attendu, _d), obtained) in enumerate(zip(MESSAGES, content), start=1):
        if obtained != attendu:
            raise CheckFailed(MSG_ORDRE.format(i=i, obtenu=obtained, attendu=attendu))


@pytest.mark.tache("lancer_threads", poids=1)
def test_lancer_threads_concurrent(submission):
    """La durée totale est proche du plus long délai, pas de leur somme."""
    ex = submission.executer(["lancer_threads"], _run, references={"afficher_message": REFERENCE_SHOW_MESSAGE})
    require_own(ex, "lancer_threads")
    _diagnostic(ex.valeur, order=False)
    _, duree, _ = ex.valeur
    longest, total_sum = max(d for _, d in MESSAGES), sum(d for _, d in MESSAGES)
    if duree > longest + MARGIN_CONCURRENCY:
        raise CheckFailed(MSG_DUREE.format(t=decimal(duree), max=number(longest), somme=number(total_sum)))


# Virtual seconds attendre may take after the thread's end: polling with short sleeps still "returns as soon as
# the thread has ended"; sleeping the whole delai_max does not.
MARGIN_RETURN = 0.1
MSG_ATTENDRE_BOOL = "attendre doit renvoyer True ou False (un booléen), pas {obtenu!r}."
MSG_ATTENDRE_FAUX = "« attendre(thread, {delai}) » sur un thread qui {cas} doit renvoyer {attendu}, pas {obtenu}."
MSG_WAIT_TOO_LONG = ("« attendre(thread, {delai}) » a bloqué {t} s : la fonction ne doit jamais attendre beaucoup "
                     "plus que delai_max. Utilisez join(timeout=delai_max).")
MSG_ATTENDRE_TARDIF = ("« attendre(thread, {delai}) » a rendu la main au bout de {t} s alors que le thread s'est "
                       "terminé au bout de {fin} s : renvoyez dès que le thread se termine, sans attendre tout le "
                       "délai. Utilisez join(timeout=delai_max).")


def _case_wait(thread_duration: float | None, delai: float):
    """A stand-in thread that runs ``duree_thread`` virtual seconds (None: until released), then attendre."""
    def scenario(ctx):
        fin = ctx.threading.Event()
        target_value = ctx.threading.Thread(target=(lambda: fin.wait()) if thread_duration is None
                                     else (lambda: ctx.time.sleep(thread_duration)))
        target_value.start()
        if thread_duration == 0:  # a thread that has already ended when attendre is called
            target_value.join()
        avant = ctx.ordonnanceur.horloge
        r = ctx["attendre"](target_value, delai)
        after = ctx.ordonnanceur.horloge
        fin.set()
        return safe_value(r), after - avant
    return scenario


@pytest.mark.tache("attendre", poids=1)
@pytest.mark.parametrize("duree, delai, attendu, case", [
    (1.0, 5.0, True, "se termine au bout de 1 s"),
    (2.25, 2.5, True, "se termine au bout de 2,25 s, juste avant le délai"),
    (0, 1.0, True, "est déjà terminé quand attendre est appelée"),
    (10.0, 2.0, False, "tourne encore 10 s"),
    (None, 1.0, False, "ne se termine jamais"),
])
def test_wait(submission, duree, delai, attendu, case):
    """attendre renvoie True si le thread a fini à temps (dès sa fin), False sinon, sans bloquer plus que delai_max."""
    ex = submission.executer(["attendre"], _case_wait(duree, delai))
    require_own(ex, "attendre")
    r, t = ex.valeur
    if type(r) is not bool:
        raise CheckFailed(MSG_ATTENDRE_BOOL.format(obtenu=r))
    if r is not attendu:
        raise CheckFailed(MSG_ATTENDRE_FAUX.format(delai=delai, cas=case, attendu=attendu, obtenu=r))
    if t > delai + TOLERANCE:
        raise CheckFailed(MSG_WAIT_TOO_LONG.format(delai=delai, t=decimal(t)))
    if duree is not None and t > duree + MARGIN_RETURN:
        raise CheckFailed(MSG_ATTENDRE_TARDIF.format(delai=delai, t=decimal(t), fin=number(duree)))
