"""Public checks of 03-file-attente (queues, stand-ins) and 04-gil (real threads and processes)."""
from __future__ import annotations

import os
import threading
import time
from typing import Sequence

from .probes.api import MSG_NON_IMPLEMENTE, CheckFailed, Submission, safe_value
from .probes.computations import pid_and_square
from .probes.futures_fake import build_modules
from .probes.harness import RunRequest
from .probes.output import summarize_exception
from .probes.verdicts import LAZY, MSG_PAS_UNE_LISTE, MSG_VALEUR, list_or_as_is
from .selfcheck_core import PublicCheck, PublicTask, SeededFailure, call_real, fail_on_problem

GOOD_TRAVAILLEUR = '''
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

MSG_RESULTS = "travailleur : resultats vaut {obtenu} au lieu de {attendu}."
MSG_TASK_DONE = ("travailleur : {appels} appel(s) à task_done() pour {pris} élément(s) pris dans la file "
                 "(sentinelle comprise) : appelez file.task_done() exactement une fois par get(), même quand "
                 "traitement lève une exception (try/finally).")
MSG_NOT_FINISHED = ("travailleur ne s'est pas arrêté après avoir pris la sentinelle None : sortez de la boucle "
                "(return ou break) quand l'élément vaut None.")
MSG_EXCEPTION_STOCKEE = ("travailleur : quand traitement lève une exception, stockez l'objet exception comme "
                         "résultat (resultats[indice] = e) et continuez ; obtenu pour l'indice 1 : {obtenu}.")


def plus_ten(x):
    return x + 10


def refused_six(x):
    if x == 6:
        raise ValueError("six refusé")
    return x + 10


def _run_travailleur(item_list, traitement, wait_before=0.0):
    def scenario(ctx: RunRequest):
        file = ctx.queue.Queue()
        resultats = {}
        t = ctx.threading.Thread(target=ctx["travailleur"], args=(file, resultats, traitement))
        t.start()
        ctx.time.sleep(wait_before)  # an idle worker must block, not spin
        for e in item_list:
            file.put(e)
        t.join(5.0)
        on = {k: (type(v).__name__ if isinstance(v, Exception) else safe_value(v))
               for k, v in list(resultats.items()) if type(k) is int}
        return on, file.nb_get, file.nb_task_done, not t.is_alive()
    return scenario


def _check_worker(ex, attendu: dict, taken: int) -> None:
    fail_on_problem(ex, "travailleur")
    resultats, nb_get, nb_task_done, finished = ex.valeur
    if not finished:
        raise CheckFailed(MSG_NOT_FINISHED)
    if nb_task_done != nb_get or nb_get != taken:
        raise CheckFailed(MSG_TASK_DONE.format(appels=nb_task_done, pris=nb_get))
    if resultats != attendu:
        raise CheckFailed(MSG_RESULTS.format(obtenu=resultats, attendu=attendu))


def _travailleur_normal(sub: Submission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["travailleur"], _run_travailleur([(0, 4), (1, 6), (2, 1), None], plus_ten))
    _check_worker(ex, {0: 14, 1: 16, 2: 11}, 4)


def _travailleur_exception(sub: Submission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["travailleur"], _run_travailleur([(0, 4), (1, 6), (2, 1), None], refused_six))
    fail_on_problem(ex, "travailleur")
    if ex.valeur[0].get(1) != "ValueError":
        raise CheckFailed(MSG_EXCEPTION_STOCKEE.format(obtenu=ex.valeur[0].get(1)))
    _check_worker(ex, {0: 14, 1: "ValueError", 2: 11}, 4)


def _travailleur_blocking(sub: Submission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["travailleur"], _run_travailleur([(0, 2), None], plus_ten, wait_before=3.0),
                      pas_max=20_000)
    _check_worker(ex, {0: 12}, 2)


MSG_TRAITER_TACHES = "traiter_taches({donnees}, plus_dix, {nb}) : résultat {obtenu!r} au lieu de {attendu!r}."
MSG_TRAITE_DEUX_FOIS = "L'élément {indice} a été traité {n} fois au lieu d'une : chaque élément doit être traité exactement une fois."
MSG_VIVANTS = ("traiter_taches a rendu la main alors que des travailleurs tournent encore ({threads}) : envoyez "
               "une sentinelle None par travailleur, puis attendez-les tous avec join().")
MSG_BLOQUES = ("Des travailleurs restent bloqués pour toujours après le retour de traiter_taches :\n{detail}\n"
               "Il faut une sentinelle None par travailleur.")
MSG_NB_TRAVAILLEURS = "traiter_taches(…, nb_travailleurs={n}) a démarré {k} thread(s) au lieu de {n}."
MSG_EXCEPTION = ("Quand traitement échoue sur certains éléments, traiter_taches doit traiter tous les autres, "
                 "arrêter ses travailleurs, puis relever l'exception du premier élément en échec (dans l'ordre "
                 "des données) ; obtenu : {obtenu}.")


def fails_on_1_and_3(x):
    if x in (1, 3):
        raise ValueError(f"élément {x}")
    return x + 10


def _process(donnees, f, nb):
    def scenario(ctx: RunRequest):
        calls: dict = {}

        def traitement(x):
            calls[x] = calls.get(x, 0) + 1
            return f(x)
        try:
            valeur = ("ok", safe_value(ctx["traiter_taches"](list(donnees), traitement, nb)))
        except ValueError as e:
            valeur = ("exception", safe_value(e.args[0] if e.args else None))
        ctx.retour()
        return valeur, dict(calls)
    return scenario


def _execute_traiter_taches(sub: Submission, donnees, f, nb, seed):
    ex = sub.executer(["traiter_taches"], _process(donnees, f, nb), seed,
                      references={"travailleur": GOOD_TRAVAILLEUR})
    fail_on_problem(ex, "traiter_taches")
    return ex


def _check_stop(ex, n: int) -> None:
    if ex.bloques_a_la_fin:
        raise SeededFailure(MSG_BLOQUES.format(detail="\n".join("    " + b for b in ex.bloques_a_la_fin)), ex.seed)
    if ex.cycle.vivants_au_retour:
        raise SeededFailure(MSG_VIVANTS.format(threads=", ".join(ex.cycle.vivants_au_retour)), ex.seed)
    if len(ex.cycle.demarres()) != n:
        raise SeededFailure(MSG_NB_TRAVAILLEURS.format(n=n, k=len(ex.cycle.demarres())), ex.seed)


def _traiter_taches_results(sub: Submission, seeds: Sequence[int]) -> None:
    for donnees, nb in ([5, 0, 7, 2, 9], 2), ([], 3):
        for seed in seeds:
            ex = _execute_traiter_taches(sub, donnees, plus_ten, nb, seed)
            (genre, valeur), calls = ex.valeur
            attendu = [d + 10 for d in donnees]
            if genre != "ok" or valeur != attendu:
                raise SeededFailure(MSG_TRAITER_TACHES.format(donnees=donnees, nb=nb, obtenu=valeur, attendu=attendu), seed)
            for d, k in calls.items():
                if k != 1:
                    raise SeededFailure(MSG_TRAITE_DEUX_FOIS.format(indice=d, n=k), seed)


def _traiter_taches_stop(sub: Submission, seeds: Sequence[int]) -> None:
    for donnees, nb in ([8], 2), ([3, 4, 5, 6], 2):
        for seed in seeds:
            _check_stop(_execute_traiter_taches(sub, donnees, plus_ten, nb, seed), nb)


def _traiter_taches_exceptions(sub: Submission, seeds: Sequence[int]) -> None:
    donnees = list(range(5))
    for seed in seeds:
        ex = _execute_traiter_taches(sub, donnees, fails_on_1_and_3, 2, seed)
        (genre, valeur), calls = ex.valeur
        if (genre, valeur) != ("exception", "élément 1"):
            raise SeededFailure(MSG_EXCEPTION.format(obtenu=f"{genre} {valeur!r}"), seed)
        if sorted(calls) != donnees:
            raise SeededFailure(MSG_EXCEPTION.format(obtenu=f"éléments traités {sorted(calls)}"), seed)
        _check_stop(ex, 2)


# -- 04-gil: real threads and processes, as the grader does ------------------------------------------
WINDOW = 0.4  # real seconds the gate waits for max_workers calls to overlap
GRACE = 0.1   # once they do, real seconds it still waits for calls beyond max_workers


class Gate:
    """A fake download that counts calls in flight and holds each for a bounded real time.

    Invariant: ``max_seen`` is the largest number of calls in flight at once; calls are held until
    ``expected`` overlap and GRACE more seconds, or until WINDOW ends.
    """

    def __init__(self, expected: int) -> None:
        self.cv = threading.Condition()
        self.expected = expected
        self.in_flight = self.max_seen = self.in_caller = 0
        self.deadline: float | None = None
        self.caller = threading.get_ident()

    def __call__(self, url: str) -> str:
        with self.cv:
            now = time.monotonic()
            self.in_caller += threading.get_ident() == self.caller
            if self.deadline is None:
                self.deadline = now + WINDOW
            self.in_flight += 1
            self.max_seen = max(self.max_seen, self.in_flight)
            if self.in_flight == self.expected:
                self.deadline = min(self.deadline, now + GRACE)
            self.cv.notify_all()
            while (rest := self.deadline - time.monotonic()) > 0:
                self.cv.wait(rest)
            self.in_flight -= 1
        return f"page {url}"


MSG_OVERLAP = ("telecharger_tous(4 urls, max_workers=2) : au plus {vu} appel(s) à telecharger en même temps "
                     "au lieu de 2. Utilisez un ThreadPoolExecutor(max_workers=max_workers) et soumettez-lui tous "
                     "les appels.")
MSG_TROP = ("telecharger_tous(…, max_workers=2) a lancé {vu} appels en même temps : jamais plus de max_workers. "
            "Passez max_workers au ThreadPoolExecutor.")
MSG_APPELANT = ("telecharger_tous a appelé telecharger dans le thread appelant : les appels doivent partir dans les "
                "threads du ThreadPoolExecutor.")
MSG_ORDRE = ("{quoi} renvoie les résultats dans l'ordre où les tâches se terminent, pas dans l'ordre des "
             "entrées : obtenu {obtenu}, attendu {attendu}. Utilisez executor.map, ou gardez la liste des "
             "futures dans l'ordre de soumission.")
MSG_AVALEE = ("telecharger_tous a avalé l'exception levée par telecharger : elle doit remonter jusqu'à "
              "l'appelant (future.result() ou executor.map la relèvent).")
MSG_OTHER_EXCEPTION = "telecharger_tous doit laisser remonter l'exception de telecharger (ErreurReseau), pas {exception}."
MSG_MEME_PROCESSUS = ("calculer_en_parallele a calculé dans le processus appelant ({n} valeur(s) sur {total}) : "
                      "à cause du GIL, des threads n'accélèrent pas le calcul. Utilisez un ProcessPoolExecutor "
                      "(ou multiprocessing.Pool) de nb_processus processus.")


def _telecharger_overlap(sub: Submission, seeds: Sequence[int]) -> None:
    ns = sub.load_real(["telecharger_tous"])
    urls = ["u1", "u2", "u3", "u4"]
    gate = Gate(2)
    resultat = call_real("telecharger_tous", ns["telecharger_tous"], urls, gate, 2)
    if gate.max_seen > 2:
        raise CheckFailed(MSG_TROP.format(vu=gate.max_seen))
    if gate.in_caller:
        raise CheckFailed(MSG_APPELANT)
    if gate.max_seen < 2:
        raise CheckFailed(MSG_OVERLAP.format(vu=gate.max_seen))
    obtained, attendu = safe_value(list_or_as_is(resultat)), [f"page {u}" for u in urls]
    if type(obtained) is not list or sorted(map(str, obtained)) != attendu:
        raise CheckFailed(MSG_VALEUR.format(quoi="telecharger_tous", obtenu=obtained, attendu=attendu))


def _order(what: str, resultat, attendu, lazy_ok: bool) -> None:
    """The hidden grader's order rule: content and order first, then (only then) a list's type."""
    kind = type(resultat).__name__
    is_list = type(resultat) is list or (lazy_ok and kind in LAZY)
    obtained = safe_value(list_or_as_is(resultat))
    if obtained != attendu:
        same = type(obtained) is list and sorted(map(repr, obtained)) == sorted(map(repr, attendu))
        raise CheckFailed(MSG_ORDRE.format(quoi=what, obtenu=obtained, attendu=attendu) if same
                    else MSG_VALEUR.format(quoi=what, obtenu=obtained, attendu=attendu))
    if not is_list:
        raise CheckFailed(MSG_PAS_UNE_LISTE.format(quoi=what, type=kind[:40]))


def _telecharger_order(sub: Submission, seeds: Sequence[int]) -> None:
    modules, _ = build_modules()  # pools that finish their tasks in reverse order
    ns = sub.load_real(["telecharger_tous"], modules=modules)
    resultat = call_real("telecharger_tous", ns["telecharger_tous"], ["x", "y", "z"], str.upper, 2)
    _order("telecharger_tous", resultat, ["X", "Y", "Z"], lazy_ok=True)


class NetworkError(ConnectionError):
    """Raised by the fake download of one url: an OSError, as real network errors are (so that code swallowing
    OSError is caught swallowing it)."""


def _fragile(url: str) -> str:
    if url == "y":
        raise NetworkError("page y introuvable")
    return url.upper()


def _telecharger_error(sub: Submission, seeds: Sequence[int]) -> None:
    modules, _ = build_modules()
    ns = sub.load_real(["telecharger_tous"], modules=modules)
    try:
        ns["telecharger_tous"](["x", "y", "z"], _fragile, 2)
    except NetworkError:
        return
    except NotImplementedError:
        raise CheckFailed(MSG_NON_IMPLEMENTE.format(quoi="telecharger_tous")) from None
    except Exception as e:  # noqa: BLE001
        raise CheckFailed(MSG_OTHER_EXCEPTION.format(exception=summarize_exception(e))) from None
    raise CheckFailed(MSG_AVALEE)


def square(x):
    return x * x


def _calculer_order(sub: Submission, seeds: Sequence[int]) -> None:
    modules, _ = build_modules()
    ns = sub.load_real(["calculer_en_parallele"], modules=modules)
    valeurs = [2, 7, 1, 8, 3]
    resultat = call_real("calculer_en_parallele", ns["calculer_en_parallele"], square, list(valeurs), 2)
    _order("calculer_en_parallele", resultat, [v * v for v in valeurs], lazy_ok=False)


def _calculer_processes(sub: Submission, seeds: Sequence[int]) -> None:
    ns = sub.load_real(["calculer_en_parallele"])
    valeurs = [5, 6, 7]
    obtained = safe_value(list_or_as_is(call_real("calculer_en_parallele", ns["calculer_en_parallele"], pid_and_square,
                                                  valeurs, 2)))
    if type(obtained) is not list or len(obtained) != 3 or not all(type(x) is tuple and len(x) == 2 for x in obtained):
        raise CheckFailed(MSG_VALEUR.format(quoi="calculer_en_parallele(pid_et_carre, [5, 6, 7], 2)", obtenu=obtained,
                                      attendu="une liste de 3 couples"))
    here = sum(1 for pid, _ in obtained if pid == os.getpid())
    if here:
        raise CheckFailed(MSG_MEME_PROCESSUS.format(n=here, total=len(valeurs)))


TASKS_IO = [
    PublicTask("03-file-attente", "travailleur", (
        PublicCheck("traite chaque élément, task_done() pour chacun (sentinelle comprise), s'arrête sur None",
                    _travailleur_normal),
        PublicCheck("une exception de traitement est stockée et le travailleur continue", _travailleur_exception),
        PublicCheck("sur une file vide, attend dans get() sans tourner en boucle", _travailleur_blocking))),
    PublicTask("03-file-attente", "traiter_taches", (
        PublicCheck("résultats dans l'ordre, chaque élément traité une fois (et liste vide)", _traiter_taches_results,
                    (2101,)),
        PublicCheck("tous les travailleurs démarrent et sont terminés au retour", _traiter_taches_stop,
                    tuple(range(2100, 2110))),
        PublicCheck("avec des échecs : tout est traité, puis l'exception du premier échec est relevée",
                    _traiter_taches_exceptions, (2103,)))),
    PublicTask("04-gil", "telecharger_tous", (
        PublicCheck("résultats dans l'ordre des urls (pool qui finit dans le désordre)", _telecharger_order),
        PublicCheck("une exception de telecharger remonte jusqu'à l'appelant", _telecharger_error),
        PublicCheck("max_workers appels se chevauchent, jamais plus (vrais threads)", _telecharger_overlap)),
        limit=15.0),
    PublicTask("04-gil", "calculer_en_parallele", (
        PublicCheck("résultats dans l'ordre des valeurs (pool qui finit dans le désordre)", _calculer_order),
        PublicCheck("les calculs ont lieu dans d'autres processus (vrai pool)", _calculer_processes)),
        limit=15.0),
]
