"""Hidden grader of 04-gil: overlap measured on real threads, order on reverse-completing stand-in pools.

Scenarios run in the submission's jail (real threads and processes there) and return plain data only;
the verdicts are decided here.
"""
from __future__ import annotations

import os
import threading
import time

import pytest

from autograder.probes.api import MSG_EXCEPTION, MSG_NON_IMPLEMENTE, CheckFailed, safe_value
from autograder.probes.computations import pid_after_pause, pid_and_square
from autograder.probes.output import summarize_exception
from autograder.probes.verdicts import LAZY, MSG_PAS_UNE_LISTE, MSG_VALEUR, list_or_as_is

WINDOW = 0.5  # real seconds the gate waits for max_workers calls to overlap
GRACE = 0.15   # once they do, real seconds it still waits for calls beyond max_workers


class Gate:
    """A fake download that counts calls in flight and holds them for a bounded time.

    Invariant: ``max_vu`` is the largest number of calls in flight at once. Calls are held until
    ``attendu`` overlap and then GRACE more seconds (so that calls beyond it show up), or until
    FENETRE ends. A correct pool of k workers reaches exactly k; a sequential one stays at 1;
    a pool ignoring max_workers exceeds k.
    """

    def __init__(self, attendu: int) -> None:
        self.cv = threading.Condition()
        self.attendu = attendu
        self.running = 0
        self.max_seen = 0
        self.deadline: float | None = None
        self.caller = threading.get_ident()
        self.in_caller = 0

    def __call__(self, url: str) -> str:
        with self.cv:
            now_time = time.monotonic()
            if threading.get_ident() == self.caller:
                self.in_caller += 1
            if self.deadline is None:
                self.deadline = now_time + WINDOW
            self.running += 1
            self.max_seen = max(self.max_seen, self.running)
            if self.running == self.attendu:
                self.deadline = min(self.deadline, now_time + GRACE)
            self.cv.notify_all()
            while (rest := self.deadline - time.monotonic()) > 0:  # the deadline may move earlier
                self.cv.wait(rest)
            self.running -= 1
        return f"contenu de {url}"


def require(ex, what: str):
    """The run's value; NotImplementedError or any other exception of the student's fails the check in French."""
    if ex.exception is None:
        return ex.valeur
    if ex.type_exception == "NotImplementedError":
        raise CheckFailed(MSG_NON_IMPLEMENTE.format(quoi=what))
    if ex.type_exception == "AccesInterdit":
        raise CheckFailed(ex.message_exception or ex.exception)
    raise CheckFailed(MSG_EXCEPTION.format(quoi=what, exception=ex.exception))


def _overlap(ns):
    urls = [f"https://exemple.org/page{i}" for i in range(6)]
    gate = Gate(3)
    resultat = ns["telecharger_tous"](urls, gate, 3)
    if type(resultat) is tuple:  # judged once, by the order check
        resultat = list(resultat)
    return safe_value((gate.max_seen, gate.in_caller, resultat))


MSG_OVERLAP = ("telecharger_tous(6 urls, max_workers=3) : au plus {vu} appel(s) à telecharger en même temps "
                     "au lieu de 3 (observé sur de vrais threads pendant {fenetre} s). Utilisez un "
                     "ThreadPoolExecutor(max_workers=max_workers) et soumettez-lui tous les appels.")
MSG_TROP = ("telecharger_tous(…, max_workers=3) a lancé {vu} appels en même temps : jamais plus de max_workers. "
            "Passez max_workers au ThreadPoolExecutor.")
MSG_APPELANT = ("telecharger_tous a appelé telecharger dans le thread appelant : les appels doivent partir dans les "
                "threads du ThreadPoolExecutor.")


@pytest.mark.tache("telecharger_tous", poids=2)
def test_download_overlap(submission):
    """Jusqu'à max_workers appels à telecharger se chevauchent, jamais plus (vrais threads)."""
    ex = submission.execute_real(["telecharger_tous"], _overlap)
    max_seen, in_caller, obtained = require(ex, "telecharger_tous")
    urls = [f"https://exemple.org/page{i}" for i in range(6)]
    if max_seen > 3:
        raise CheckFailed(MSG_TROP.format(vu=max_seen))
    if in_caller:
        raise CheckFailed(MSG_APPELANT)
    if max_seen < 3:
        raise CheckFailed(MSG_OVERLAP.format(vu=max_seen, fenetre=WINDOW))
    # Content only: on real threads the completion order is luck; test_telecharger_ordre judges order.
    attendu = [f"contenu de {u}" for u in urls]
    if type(obtained) is not list or sorted(map(str, obtained)) != attendu:
        raise CheckFailed(MSG_VALEUR.format(quoi="telecharger_tous", obtenu=obtained, attendu=attendu))


MSG_ORDRE = ("{quoi} renvoie les résultats dans l'ordre où les tâches se terminent, pas dans l'ordre des "
             "entrées : obtenu {obtenu}, attendu {attendu}. Utilisez executor.map, ou gardez la liste des "
             "futures dans l'ordre de soumission.")


def _order_telecharger(ns):
    v = ns["telecharger_tous"](["a", "b", "c", "d"], str.upper, 2)
    return safe_value((type(v) is list or type(v).__name__ in LAZY, type(v).__name__[:40], list_or_as_is(v)))


@pytest.mark.tache("telecharger_tous", poids=1)
def test_download_order(submission):
    """Les résultats sont dans l'ordre des urls, même quand les téléchargements finissent dans le désordre."""
    ex = submission.execute_real(["telecharger_tous"], _order_telecharger, fake=True)
    is_list, kind, obtained = require(ex, "telecharger_tous")
    attendu = ["A", "B", "C", "D"]
    if obtained != attendu:
        what = "telecharger_tous"
        raise CheckFailed(MSG_ORDRE.format(quoi=what, obtenu=obtained, attendu=attendu) if sorted(map(str, obtained)) == attendu
                    else MSG_VALEUR.format(quoi=what, obtenu=obtained, attendu=attendu))
    if not is_list:
        raise CheckFailed(MSG_PAS_UNE_LISTE.format(quoi="telecharger_tous", type=kind))


class NetworkError(ConnectionError):
    """Raised by the fake download of one url: an OSError, as real network errors are (so that code swallowing
    OSError is caught swallowing it)."""


def _telecharger_fragile(url):
    if url == "b":
        raise NetworkError("page b introuvable")
    return url.upper()


MSG_OTHER_EXCEPTION = ("telecharger_tous doit laisser remonter l'exception de telecharger (ErreurReseau), "
                       "pas {exception}.")
MSG_AVALEE = ("telecharger_tous a avalé l'exception levée par telecharger : elle doit remonter jusqu'à "
              "l'appelant (future.result() ou executor.map la relèvent).")


@pytest.mark.tache("telecharger_tous", poids=1)
def test_download_error(submission):
    """Une exception levée par telecharger remonte jusqu'à l'appelant."""
    ex = submission.execute_real(["telecharger_tous"], _telecharger_error, fake=True)
    genre, detail = require(ex, "telecharger_tous")
    if genre == "remontee":
        return
    if genre == "autre":
        raise CheckFailed(MSG_OTHER_EXCEPTION.format(exception=detail))
    if genre == "paresseux":
        raise CheckFailed(MSG_PARESSEUX.format(type=detail))
    raise CheckFailed(MSG_AVALEE)


MSG_PARESSEUX = ("telecharger_tous renvoie un itérateur paresseux ({type}) : l'exception n'est levée que quand on "
                 "le parcourt. Renvoyez une liste (list(executor.map(...)) ou [f.result() for f in futures]).")


def _telecharger_error(ns):
    try:
        resultat = ns["telecharger_tous"](["a", "b", "c"], _telecharger_fragile, 2)
    except NetworkError:
        return ("remontee", "")
    except Exception as e:  # noqa: BLE001
        return ("autre", summarize_exception(e))
    if type(resultat) is not list and hasattr(resultat, "__next__"):
        try:
            list(resultat)
        except NetworkError:
            return ("paresseux", type(resultat).__name__)
        except Exception:  # noqa: BLE001
            pass
    return ("avalee", "")


def _square(x):
    return x * x


def _order_calculer(ns):
    v = ns["calculer_en_parallele"](_square, [3, 1, 4, 1, 5, 9], 2)  # a list, as the notebook asks (not a generator)
    return safe_value((type(v) is list, type(v).__name__[:40], list_or_as_is(v)))


@pytest.mark.tache("calculer_en_parallele", poids=2)
def test_compute_order(submission):
    """calculer_en_parallele renvoie [fonction(v) for v in valeurs] dans l'ordre des valeurs."""
    ex = submission.execute_real(["calculer_en_parallele"], _order_calculer, fake=True)
    is_list, kind, obtained = require(ex, "calculer_en_parallele")
    valeurs = [3, 1, 4, 1, 5, 9]
    attendu = [v * v for v in valeurs]
    if obtained != attendu:
        raise CheckFailed(MSG_ORDRE.format(quoi="calculer_en_parallele", obtenu=obtained, attendu=attendu)
                    if sorted(map(repr, obtained)) == sorted(map(repr, attendu))
                    else MSG_VALEUR.format(quoi="calculer_en_parallele", obtenu=obtained, attendu=attendu))
    if not is_list:
        raise CheckFailed(MSG_PAS_UNE_LISTE.format(quoi="calculer_en_parallele", type=kind))


MSG_MEME_PROCESSUS = ("calculer_en_parallele a calculé dans le processus appelant ({n} valeur(s) sur {total}) : "
                      "à cause du GIL, des threads n'accélèrent pas le calcul. Utilisez un ProcessPoolExecutor "
                      "(ou multiprocessing.Pool) de nb_processus processus.")


def _other_processes(ns):
    obtained = list_or_as_is(ns["calculer_en_parallele"](pid_and_square, [1, 2, 3, 4], 2))
    return safe_value((obtained, os.getpid()))


@pytest.mark.tache("calculer_en_parallele", poids=2)
def test_compute_other_processes(submission):
    """Les calculs ont vraiment lieu dans d'autres processus (vrai pool)."""
    ex = submission.execute_real(["calculer_en_parallele"], _other_processes)
    obtained, me = require(ex, "calculer_en_parallele")
    valeurs = [1, 2, 3, 4]
    if type(obtained) is not list or len(obtained) != len(valeurs) or not all(
            type(x) is tuple and len(x) == 2 for x in obtained):
        raise CheckFailed(MSG_VALEUR.format(quoi="calculer_en_parallele(pid_et_carre, [1, 2, 3, 4], 2)",
                                      obtenu=obtained, attendu="une liste de 4 couples"))
    here = sum(1 for pid, _ in obtained if pid == me)
    if here:
        raise CheckFailed(MSG_MEME_PROCESSUS.format(n=here, total=len(valeurs)))
    # Content only: a real pool finishes in an order that is luck; test_calculer_ordre judges order.
    if sorted(c for _, c in obtained) != [v * v for v in valeurs]:
        raise CheckFailed(MSG_VALEUR.format(quoi="calculer_en_parallele", obtenu=[c for _, c in obtained],
                                      attendu=[v * v for v in valeurs]))


MSG_TROP_DE_PROCESSUS = ("calculer_en_parallele(…, nb_processus=1) a calculé dans {n} processus différents : un seul "
                         "pool de nb_processus processus, pour toutes les valeurs (ProcessPoolExecutor("
                         "max_workers=nb_processus), créé une fois).")


def _distinct_processes(ns):
    pids = list_or_as_is(ns["calculer_en_parallele"](pid_after_pause, [1, 2, 3, 4], 1))
    return safe_value((pids, os.getpid()))


@pytest.mark.tache("calculer_en_parallele", poids=1)
def test_compute_pool_of_nb_processus(submission):
    """Un seul pool d'exactement nb_processus processus (jamais plus de processus que demandé)."""
    ex = submission.execute_real(["calculer_en_parallele"], _distinct_processes)
    pids, me = require(ex, "calculer_en_parallele")
    if type(pids) is not list or len(pids) != 4:
        raise CheckFailed(MSG_VALEUR.format(quoi="calculer_en_parallele(f, [1, 2, 3, 4], 1)", obtenu=pids,
                                      attendu="une liste de 4 résultats"))
    # A pool of one process can never show two pids: correct code always passes, whatever the load.
    if len(set(pids)) > 1:
        raise CheckFailed(MSG_TROP_DE_PROCESSUS.format(n=len(set(pids))))
    if me in pids:  # no pool at all: threads, or the calling process itself
        raise CheckFailed(MSG_MEME_PROCESSUS.format(n=pids.count(me), total=len(pids)))
