"""Hidden grader of 03-file-attente: items processed once, task_done balanced, every worker ends."""
from __future__ import annotations

import pytest

from autograder.probes.api import MSG_EXCEPTION as MSG_EXCEPTION_INATTENDUE, CheckFailed, safe_value
from autograder.probes.verdicts import MSG_VALEUR, NUMBERING, deadlock_detail, require_own

# A known-good worker, so that traiter_taches is judged on its own.
REFERENCE_TRAVAILLEUR = '''
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        try:
            if element is None:
                return
            indice, donnee = element
            try:
                resultats[indice] = traitement(donnee)
            except Exception as e:
                resultats[indice] = e
        finally:
            file.task_done()
'''

# The same worker, slow to end: after the sentinel's task_done() it still runs for a virtual second, the
# window where file.join() has returned but the worker is alive. Only joining the threads waits it out.
REFERENCE_TRAVAILLEUR_SLOW = '''
import time
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        if element is None:
            file.task_done()
            time.sleep(1)
            return
        indice, donnee = element
        try:
            resultats[indice] = traitement(donnee)
        except Exception as e:
            resultats[indice] = e
        finally:
            file.task_done()
'''


class DomainError(Exception):
    """An exception type of the course's own: a worker must survive any type, not only built-in ones."""


MSG_RESULTS = "travailleur : resultats vaut {obtenu} au lieu de {attendu}."
MSG_TASK_DONE = ("travailleur : {appels} appel(s) à task_done() pour {pris} élément(s) pris dans la file "
                 "(sentinelle comprise) : appelez file.task_done() exactement une fois par get(), même quand "
                 "traitement lève une exception (try/finally).")
MSG_NOT_FINISHED = ("travailleur ne s'est pas arrêté après avoir pris la sentinelle None : sortez de la boucle "
                "(return ou break) quand l'élément vaut None.")
MSG_EXCEPTION_STOCKEE = ("travailleur : quand traitement lève une exception ({type} ici), stockez l'objet "
                         "exception lui-même comme résultat (resultats[indice] = e) et continuez ; obtenu pour "
                         "l'indice 1 : {obtenu}.")
MSG_TYPE_NON_ATTRAPE = ("travailleur s'est arrêté sur l'exception {type} levée par traitement : le travailleur doit "
                        "survivre à toute exception de traitement, quel que soit son type. Attrapez-les "
                        "(except Exception as e), stockez e comme résultat et continuez.")
MSG_ARRET_PREMATURE = ("travailleur s'est arrêté après avoir pris {pris} élément(s) sur {attendu}, sans avoir reçu "
                       "la sentinelle None : une file momentanément vide ne veut pas dire que le travail est fini. "
                       "Ne testez pas file.empty() : bloquez dans file.get() jusqu'à recevoir None.")
MSG_TASK_DONE_TOT = ("travailleur a appelé file.task_done() avant d'avoir fini de traiter l'élément (appel n° {n} de "
                     "traitement) : file.join() peut alors rendre la main avant que le résultat soit stocké. Appelez "
                     "task_done() après avoir stocké le résultat (dans un finally).")
MSG_FILE_NON_VIDE = ("Après la sentinelle, la file contient encore {reste} élément(s) et {ouverts} tâche(s) non "
                     "terminée(s) : travailleur ne doit rien remettre dans la file (une sentinelle par travailleur "
                     "suffit), sinon file.join() ne se termine jamais.")
MSG_TRAITE_DEUX_FOIS = "L'élément {indice} a été traité {n} fois au lieu d'une : chaque élément doit être traité exactement une fois."


def _square(x):
    return x * x


def _square_or_zero(x):
    return 0 if x is None else x * x


def _run_travailleur(item_list, traitement, wait_before=0.0):
    def scenario(ctx):
        file = ctx.queue.Queue()
        resultats = {}
        early = []  # calls of traitement made after the current item's task_done()
        calls = []  # the data of every call of traitement, in order

        def watched(donnee):
            calls.append(donnee)
            if file.nb_task_done >= file.nb_get:
                early.append(len(early) + 1)
            return traitement(donnee)

        t = ctx.threading.Thread(target=ctx["travailleur"], args=(file, resultats, watched))
        t.start()
        ctx.time.sleep(wait_before)  # an idle worker must block, not spin
        for e in item_list:
            file.put(e)
        t.join(5.0)
        finished = not t.is_alive()
        on = {k: (f"{type(v).__name__}" if isinstance(v, BaseException) else safe_value(v)) for k, v in
               list(resultats.items()) if type(k) is int}
        same_object = any(v is e for v in resultats.values() for e in raised(traitement))
        left = (file.qsize(), file.unfinished_tasks)
        # Items' data are distinct objects here: an item handled twice is a datum traitement received twice
        # (compared by identity: no student __eq__ runs).
        twice = []
        for item in item_list:
            if item is not None and (n := sum(1 for c in calls if c is item[1])) > 1:
                twice.append((item[0], n))
        return (sorted(on.items()), file.nb_get, file.nb_task_done, finished, same_object,  # plain data: no dict
                early[:1], left, twice[:1])
    return scenario


def _check_worker(ex, attendu, taken, protocol: bool = False):
    """``protocole``: also when task_done() is called and what is left in the queue (the main check only, so
    that one mistake in the queue protocol costs that check alone)."""
    require_own(ex, "travailleur")
    pairs, nb_get, nb_task_done, finished, _same, early, (reste, ouverts), twice = ex.valeur
    resultats = {k: v for k, v in pairs}
    if finished and nb_get < taken and nb_task_done == nb_get:
        raise CheckFailed(MSG_ARRET_PREMATURE.format(pris=nb_get, attendu=taken))
    if not finished:
        raise CheckFailed(MSG_NOT_FINISHED)
    if nb_task_done != nb_get or nb_get != taken:
        raise CheckFailed(MSG_TASK_DONE.format(appels=nb_task_done, pris=nb_get))
    if resultats != attendu:
        raise CheckFailed(MSG_RESULTS.format(obtenu=resultats, attendu=attendu))
    if protocol and twice:
        raise CheckFailed(MSG_TRAITE_DEUX_FOIS.format(indice=twice[0][0], n=twice[0][1]))
    if protocol and early:
        raise CheckFailed(MSG_TASK_DONE_TOT.format(n=early[0]))
    if protocol and (reste or ouverts):
        raise CheckFailed(MSG_FILE_NON_VIDE.format(reste=reste, ouverts=ouverts))


@pytest.mark.tache("travailleur", poids=2)
def test_worker_handles_then_stops(submission):
    """travailleur traite chaque élément, appelle task_done pour chacun (sentinelle comprise) et s'arrête sur None."""
    item_list = [(0, 2), (1, None), (2, 3), (3, 5), None]  # None as data is not the sentinel
    ex = submission.executer(["travailleur"], _run_travailleur(item_list, _square_or_zero))
    _check_worker(ex, {0: 4, 1: 0, 2: 9, 3: 25}, 5, protocol=True)


def raised(traitement) -> list:
    """The exception objects ``traitement`` raised so far (only fragile ones raise)."""
    return getattr(traitement, "raised", [])


class Fragile:
    """A traitement that raises ``type_`` for the value 3, and remembers the object it raised."""

    def __init__(self, type_: type) -> None:
        self.type_, self.raised = type_, []

    def __call__(self, x):
        if x == 3:
            e = self.type_("donnée refusée")
            self.raised.append(e)
            raise e
        return x * x


RAISED_TYPES = (ValueError, KeyError, ZeroDivisionError, DomainError)


@pytest.mark.tache("travailleur", poids=1)
def test_worker_survives_exceptions(submission):
    """Toute exception de traitement (quel que soit son type) est stockée comme résultat ; le travailleur continue
    et task_done reste équilibré."""
    item_list = [(0, 2), (1, 3), (2, 5), None]
    for type_ in RAISED_TYPES:
        ex = submission.executer(["travailleur"], _run_travailleur(item_list, Fragile(type_)))
        nom = type_.__name__
        if ex.exceptions_threads and ex.exceptions_threads[0][1].startswith(nom + ":") \
                and "donnée refusée" in ex.exceptions_threads[0][1]:  # the very exception traitement raised
            raise CheckFailed(MSG_TYPE_NON_ATTRAPE.format(type=nom))
        require_own(ex, "travailleur")
        resultats, same_object = {k: v for k, v in ex.valeur[0]}, ex.valeur[4]
        if resultats.get(1) != nom or not same_object:
            raise CheckFailed(MSG_EXCEPTION_STOCKEE.format(type=nom, obtenu=resultats.get(1)))
        _check_worker(ex, {0: 4, 1: nom, 2: 25}, 4)


@pytest.mark.tache("travailleur", poids=1)
def test_worker_blocks_without_busy_wait(submission):
    """Sur une file vide, travailleur attend dans get() (bloquant) au lieu de tourner en boucle."""
    ex = submission.executer(["travailleur"], _run_travailleur([(0, 1), None], _square, wait_before=5.0),
                             pas_max=20_000)
    _check_worker(ex, {0: 1}, 2)


def _counter_calls(f):
    calls = {}

    def traitement(x):
        calls[x] = calls.get(x, 0) + 1
        return f(x)
    return traitement, calls


def _process(donnees, f, nb, slow: bool = False):
    """Call traiter_taches (``nb`` None: its default); ``lent``: every call of traitement takes a virtual second."""
    def scenario(ctx):
        traitement, calls = _counter_calls(f)
        if slow:
            fast = traitement

            def traitement(x):
                ctx.time.sleep(1)
                return fast(x)
        args = (list(donnees), traitement) if nb is None else (list(donnees), traitement, nb)
        try:
            valeur = ("ok", safe_value(ctx["traiter_taches"](*args)))
        except ValueError as e:
            valeur = ("exception", safe_value(e.args[0] if e.args else None))
        ctx.retour()
        updates = sum(getattr(fi, "nb_put", 0) for fi in ctx.cycle.files)
        return valeur, sorted(calls.items()), updates  # plain data: no dict
    return scenario


def _execute_traiter_taches(submission, donnees, f, nb, seed=0, reference=REFERENCE_TRAVAILLEUR, slow=False,
                      strategie="collante"):
    ex = submission.executer(["traiter_taches"], _process(donnees, f, nb, slow), seed,
                             references={"travailleur": reference}, strategie=strategie)
    require_own(ex, "traiter_taches")
    return ex


MSG_VIVANTS = ("traiter_taches a rendu la main alors que des travailleurs tournent encore ({threads} ; " + NUMBERING
               + ") : file.join() n'attend que les task_done(), pas la fin des threads. Envoyez une sentinelle None par travailleur, "
               "puis attendez chaque travailleur avec join().")
MSG_BLOQUES = ("Des travailleurs restent bloqués pour toujours après le retour de traiter_taches :\n{detail}\n"
               "Il faut une sentinelle None par travailleur.")
MSG_NB_TRAVAILLEURS = "« traiter_taches({appel}) » a démarré {k} thread(s) au lieu de {n}."
MSG_SANS_FILE = ("traiter_taches doit confier les {n} élément(s) aux travailleurs par une queue.Queue (file.put) ; "
                 "seuls {k} élément(s) y ont été mis.")
MSG_EXCEPTION = ("Quand traitement échoue sur certains éléments, traiter_taches doit traiter tous les autres, "
                 "arrêter ses travailleurs, puis relever l'exception du premier élément en échec (dans l'ordre "
                 "des données) ; obtenu : {obtenu}.")


def _check_stop(ex, n, call: str):
    cycle = ex.cycle
    if ex.bloques_a_la_fin:
        raise CheckFailed(MSG_BLOQUES.format(detail=deadlock_detail(ex.bloques_a_la_fin)))
    if cycle.vivants_au_retour:
        raise CheckFailed(MSG_VIVANTS.format(threads=", ".join(cycle.vivants_au_retour)))
    if len(cycle.demarres()) != n:
        raise CheckFailed(MSG_NB_TRAVAILLEURS.format(appel=call, n=n, k=len(cycle.demarres())))


@pytest.mark.tache("traiter_taches", poids=2)
@pytest.mark.parametrize("donnees, nb", [(list(range(7)), 3), ([4, 5], 5), ([], 2)])
def test_traiter_taches_results(submission, donnees, nb):
    """traiter_taches renvoie [traitement(d) for d in donnees], chaque élément traité une seule fois."""
    for seed in range(2):
        ex = _execute_traiter_taches(submission, donnees, _square, nb, seed)
        (genre, valeur), pairs, updates = ex.valeur
        calls = {d: k for d, k in pairs}
        attendu = [d * d for d in donnees]
        if genre == "exception":  # the scenario catches ValueError only (what the failing traitement raises)
            raise CheckFailed(MSG_EXCEPTION_INATTENDUE.format(quoi=f"traiter_taches({donnees}, carre, {nb})",
                                             exception=f"ValueError: {valeur}"))
        if valeur != attendu:
            raise CheckFailed(MSG_VALEUR.format(quoi=f"traiter_taches({donnees}, carre, {nb})", obtenu=valeur,
                                          attendu=attendu))
        for d, k in calls.items():
            if k != 1:
                raise CheckFailed(MSG_TRAITE_DEUX_FOIS.format(indice=d, n=k))
        if updates < len(donnees):
            raise CheckFailed(MSG_SANS_FILE.format(n=len(donnees), k=updates))


@pytest.mark.tache("traiter_taches", poids=2)
@pytest.mark.parametrize("donnees, nb", [(list(range(6)), 3), ([1], 4), (list(range(4)), None)])
def test_traiter_taches_clean_stop(submission, donnees, nb):
    """Tous les travailleurs démarrent (3 par défaut), reçoivent leur sentinelle et sont terminés au retour,
    attendus dans join() sans boucle active."""
    call = f"{donnees}, traitement" + ("" if nb is None else f", {nb}")
    # Uniform seeds may switch at any step, e.g. right after a worker's last task_done(): a function that waits
    # with file.join() alone returns while its own workers are still running.
    for strategie, seed in [("collante", 0), ("collante", 1), ("uniforme", 0), ("uniforme", 1)]:
        ex = _execute_traiter_taches(submission, donnees, _square, nb, seed, reference=REFERENCE_TRAVAILLEUR_SLOW,
                               slow=True, strategie=strategie)
        _check_stop(ex, 3 if nb is None else nb, call)


def _fails_on_2_and_4(x):
    if x in (2, 4):
        raise ValueError(f"élément {x}")
    return x * x


@pytest.mark.tache("traiter_taches", poids=2)
def test_traiter_taches_exceptions(submission):
    """Avec des échecs, tout est traité, les travailleurs s'arrêtent, l'exception du premier échec est relevée."""
    donnees = list(range(6))
    for seed in range(2):
        ex = _execute_traiter_taches(submission, donnees, _fails_on_2_and_4, 3, seed, reference=REFERENCE_TRAVAILLEUR_SLOW)
        (genre, valeur), pairs, _updates = ex.valeur
        calls = {d: k for d, k in pairs}
        if (genre, valeur) != ("exception", "élément 2"):
            raise CheckFailed(MSG_EXCEPTION.format(obtenu=f"{genre} {valeur!r}"))
        if sorted(calls) != donnees:
            raise CheckFailed(MSG_EXCEPTION.format(obtenu=f"éléments traités {sorted(calls)}"))
        _check_stop(ex, 3, f"{donnees}, traitement, 3")
