"""Hidden grader of 04-gil: overlap measured on real threads, order on reverse-completing stand-in pools.

Scenarios run in the submission's jail (real threads and processes there) and return plain data only;
the verdicts are decided here.
"""
from __future__ import annotations

import os
import threading
import time

import pytest

from autograder.probes.api import MSG_EXCEPTION, MSG_NON_IMPLEMENTE, Echec, valeur_sure
from autograder.probes.calculs import pid_apres_pause, pid_et_carre
from autograder.probes.sortie import resumer_exception
from autograder.probes.verdicts import MSG_VALEUR

FENETRE = 0.5  # real seconds the gate waits for max_workers calls to overlap
GRACE = 0.15   # once they do, real seconds it still waits for calls beyond max_workers


class Porte:
    """A fake download that counts calls in flight and holds them for a bounded time.

    Invariant: ``max_vu`` is the largest number of calls in flight at once. Calls are held until
    ``attendu`` overlap and then GRACE more seconds (so that calls beyond it show up), or until
    FENETRE ends. A correct pool of k workers reaches exactly k; a sequential one stays at 1;
    a pool ignoring max_workers exceeds k.
    """

    def __init__(self, attendu: int) -> None:
        self.cv = threading.Condition()
        self.attendu = attendu
        self.en_cours = 0
        self.max_vu = 0
        self.echeance: float | None = None
        self.appelant = threading.get_ident()
        self.dans_appelant = 0

    def __call__(self, url: str) -> str:
        with self.cv:
            maintenant = time.monotonic()
            if threading.get_ident() == self.appelant:
                self.dans_appelant += 1
            if self.echeance is None:
                self.echeance = maintenant + FENETRE
            self.en_cours += 1
            self.max_vu = max(self.max_vu, self.en_cours)
            if self.en_cours == self.attendu:
                self.echeance = min(self.echeance, maintenant + GRACE)
            self.cv.notify_all()
            while (reste := self.echeance - time.monotonic()) > 0:  # the deadline may move earlier
                self.cv.wait(reste)
            self.en_cours -= 1
        return f"contenu de {url}"


def exiger(ex, quoi: str):
    """The run's value; NotImplementedError or any other exception of the student's fails the check in French."""
    if ex.exception is None:
        return ex.valeur
    if ex.type_exception == "NotImplementedError":
        raise Echec(MSG_NON_IMPLEMENTE.format(quoi=quoi))
    if ex.type_exception == "AccesInterdit":
        raise Echec(ex.message_exception or ex.exception)
    raise Echec(MSG_EXCEPTION.format(quoi=quoi, exception=ex.exception))


def _chevauchement(ns):
    urls = [f"https://exemple.org/page{i}" for i in range(6)]
    porte = Porte(3)
    resultat = ns["telecharger_tous"](urls, porte, 3)
    return valeur_sure((porte.max_vu, porte.dans_appelant, resultat))


MSG_CHEVAUCHEMENT = ("telecharger_tous(6 urls, max_workers=3) : au plus {vu} appel(s) à telecharger en même temps "
                     "au lieu de 3 (observé sur de vrais threads pendant {fenetre} s). Utilisez un "
                     "ThreadPoolExecutor(max_workers=max_workers) et soumettez-lui tous les appels.")
MSG_TROP = ("telecharger_tous(…, max_workers=3) a lancé {vu} appels en même temps : jamais plus de max_workers. "
            "Passez max_workers au ThreadPoolExecutor.")
MSG_APPELANT = ("telecharger_tous a appelé telecharger dans le thread appelant : les appels doivent partir dans les "
                "threads du ThreadPoolExecutor.")


@pytest.mark.tache("telecharger_tous", poids=2)
def test_telecharger_chevauchement(soumission):
    """Jusqu'à max_workers appels à telecharger se chevauchent, jamais plus (vrais threads)."""
    ex = soumission.executer_reel(["telecharger_tous"], _chevauchement)
    max_vu, dans_appelant, obtenu = exiger(ex, "telecharger_tous")
    urls = [f"https://exemple.org/page{i}" for i in range(6)]
    if max_vu > 3:
        raise Echec(MSG_TROP.format(vu=max_vu))
    if dans_appelant:
        raise Echec(MSG_APPELANT)
    if max_vu < 3:
        raise Echec(MSG_CHEVAUCHEMENT.format(vu=max_vu, fenetre=FENETRE))
    # Content only: on real threads the completion order is luck; test_telecharger_ordre judges order.
    attendu = [f"contenu de {u}" for u in urls]
    if type(obtenu) is not list or sorted(map(str, obtenu)) != attendu:
        raise Echec(MSG_VALEUR.format(quoi="telecharger_tous", obtenu=obtenu, attendu=attendu))


MSG_ORDRE = ("{quoi} renvoie les résultats dans l'ordre où les tâches se terminent, pas dans l'ordre des "
             "entrées : obtenu {obtenu}, attendu {attendu}. Utilisez executor.map, ou gardez la liste des "
             "futures dans l'ordre de soumission.")


def _ordre_telecharger(ns):
    return valeur_sure(list_ou_tel_quel(ns["telecharger_tous"](["a", "b", "c", "d"], str.upper, 2)))


def list_ou_tel_quel(v):
    """A lazy iterator (map, generator) is read, so that what it yields is judged, not its type."""
    if type(v).__name__ in ("map", "generator", "filter", "zip", "itertools.chain"):
        return list(v)
    return v


@pytest.mark.tache("telecharger_tous", poids=1)
def test_telecharger_ordre(soumission):
    """Les résultats sont dans l'ordre des urls, même quand les téléchargements finissent dans le désordre."""
    ex = soumission.executer_reel(["telecharger_tous"], _ordre_telecharger, factices=True)
    obtenu = exiger(ex, "telecharger_tous")
    attendu = ["A", "B", "C", "D"]
    if obtenu != attendu:
        quoi = "telecharger_tous"
        raise Echec(MSG_ORDRE.format(quoi=quoi, obtenu=obtenu, attendu=attendu) if sorted(map(str, obtenu)) == attendu
                    else MSG_VALEUR.format(quoi=quoi, obtenu=obtenu, attendu=attendu))


class ErreurReseau(Exception):
    """Raised by the fake download of one url."""


def _telecharger_fragile(url):
    if url == "b":
        raise ErreurReseau("page b introuvable")
    return url.upper()


MSG_AUTRE_EXCEPTION = ("telecharger_tous doit laisser remonter l'exception de telecharger (ErreurReseau), "
                       "pas {exception}.")
MSG_AVALEE = ("telecharger_tous a avalé l'exception levée par telecharger : elle doit remonter jusqu'à "
              "l'appelant (future.result() ou executor.map la relèvent).")


@pytest.mark.tache("telecharger_tous", poids=1)
def test_telecharger_erreur(soumission):
    """Une exception levée par telecharger remonte jusqu'à l'appelant."""
    ex = soumission.executer_reel(["telecharger_tous"], _erreur_telecharger, factices=True)
    genre, detail = exiger(ex, "telecharger_tous")
    if genre == "remontee":
        return
    if genre == "autre":
        raise Echec(MSG_AUTRE_EXCEPTION.format(exception=detail))
    if genre == "paresseux":
        raise Echec(MSG_PARESSEUX.format(type=detail))
    raise Echec(MSG_AVALEE)


MSG_PARESSEUX = ("telecharger_tous renvoie un itérateur paresseux ({type}) : l'exception n'est levée que quand on "
                 "le parcourt. Renvoyez une liste (list(executor.map(...)) ou [f.result() for f in futures]).")


def _erreur_telecharger(ns):
    try:
        resultat = ns["telecharger_tous"](["a", "b", "c"], _telecharger_fragile, 2)
    except ErreurReseau:
        return ("remontee", "")
    except Exception as e:  # noqa: BLE001
        return ("autre", resumer_exception(e))
    if type(resultat) is not list and hasattr(resultat, "__next__"):
        try:
            list(resultat)
        except ErreurReseau:
            return ("paresseux", type(resultat).__name__)
        except Exception:  # noqa: BLE001
            pass
    return ("avalee", "")


def _carre(x):
    return x * x


def _ordre_calculer(ns):
    return valeur_sure(list_ou_tel_quel(ns["calculer_en_parallele"](_carre, [3, 1, 4, 1, 5, 9], 2)))


@pytest.mark.tache("calculer_en_parallele", poids=2)
def test_calculer_ordre(soumission):
    """calculer_en_parallele renvoie [fonction(v) for v in valeurs] dans l'ordre des valeurs."""
    ex = soumission.executer_reel(["calculer_en_parallele"], _ordre_calculer, factices=True)
    obtenu = exiger(ex, "calculer_en_parallele")
    valeurs = [3, 1, 4, 1, 5, 9]
    attendu = [v * v for v in valeurs]
    if obtenu != attendu:
        raise Echec(MSG_ORDRE.format(quoi="calculer_en_parallele", obtenu=obtenu, attendu=attendu)
                    if sorted(map(repr, obtenu)) == sorted(map(repr, attendu))
                    else MSG_VALEUR.format(quoi="calculer_en_parallele", obtenu=obtenu, attendu=attendu))


MSG_MEME_PROCESSUS = ("calculer_en_parallele a calculé dans le processus appelant ({n} valeur(s) sur {total}) : "
                      "à cause du GIL, des threads n'accélèrent pas le calcul. Utilisez un ProcessPoolExecutor "
                      "(ou multiprocessing.Pool) de nb_processus processus.")


def _autres_processus(ns):
    obtenu = list_ou_tel_quel(ns["calculer_en_parallele"](pid_et_carre, [1, 2, 3, 4], 2))
    return valeur_sure((obtenu, os.getpid()))


@pytest.mark.tache("calculer_en_parallele", poids=2)
def test_calculer_autres_processus(soumission):
    """Les calculs ont vraiment lieu dans d'autres processus (vrai pool)."""
    ex = soumission.executer_reel(["calculer_en_parallele"], _autres_processus)
    obtenu, moi = exiger(ex, "calculer_en_parallele")
    valeurs = [1, 2, 3, 4]
    if type(obtenu) is not list or len(obtenu) != len(valeurs) or not all(
            type(x) is tuple and len(x) == 2 for x in obtenu):
        raise Echec(MSG_VALEUR.format(quoi="calculer_en_parallele(pid_et_carre, [1, 2, 3, 4], 2)",
                                      obtenu=obtenu, attendu="une liste de 4 couples"))
    ici = sum(1 for pid, _ in obtenu if pid == moi)
    if ici:
        raise Echec(MSG_MEME_PROCESSUS.format(n=ici, total=len(valeurs)))
    # Content only: a real pool finishes in an order that is luck; test_calculer_ordre judges order.
    if sorted(c for _, c in obtenu) != [v * v for v in valeurs]:
        raise Echec(MSG_VALEUR.format(quoi="calculer_en_parallele", obtenu=[c for _, c in obtenu],
                                      attendu=[v * v for v in valeurs]))


MSG_TROP_DE_PROCESSUS = ("calculer_en_parallele(…, nb_processus=1) a calculé dans {n} processus différents : un seul "
                         "pool de nb_processus processus, pour toutes les valeurs (ProcessPoolExecutor("
                         "max_workers=nb_processus), créé une fois).")


def _processus_distincts(ns):
    pids = list_ou_tel_quel(ns["calculer_en_parallele"](pid_apres_pause, [1, 2, 3, 4], 1))
    return valeur_sure(pids)


@pytest.mark.tache("calculer_en_parallele", poids=1)
def test_calculer_un_pool_de_nb_processus(soumission):
    """Un seul pool d'exactement nb_processus processus (jamais plus de processus que demandé)."""
    ex = soumission.executer_reel(["calculer_en_parallele"], _processus_distincts)
    pids = exiger(ex, "calculer_en_parallele")
    if type(pids) is not list or len(pids) != 4:
        raise Echec(MSG_VALEUR.format(quoi="calculer_en_parallele(f, [1, 2, 3, 4], 1)", obtenu=pids,
                                      attendu="une liste de 4 résultats"))
    # A pool of one process can never show two pids: correct code always passes, whatever the load.
    if len(set(pids)) > 1:
        raise Echec(MSG_TROP_DE_PROCESSUS.format(n=len(set(pids))))
