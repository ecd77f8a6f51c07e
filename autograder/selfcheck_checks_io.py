"""Public checks of 03-file-attente (queues, stand-ins) and 04-gil (real threads and processes)."""
from __future__ import annotations

import os
import threading
import time
from typing import Sequence

from .probes.api import MSG_NON_IMPLEMENTE, Echec, Soumission, valeur_sure
from .probes.calculs import pid_et_carre
from .probes.futures_factices import fabriquer_modules
from .probes.harness import Contexte
from .probes.sortie import resumer_exception
from .probes.verdicts import MSG_VALEUR
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

MSG_RESULTATS = "travailleur : resultats vaut {obtenu} au lieu de {attendu}."
MSG_TASK_DONE = ("travailleur : {appels} appel(s) à task_done() pour {pris} élément(s) pris dans la file "
                 "(sentinelle comprise) : appelez file.task_done() exactement une fois par get(), même quand "
                 "traitement lève une exception (try/finally).")
MSG_PAS_FINI = ("travailleur ne s'est pas arrêté après avoir pris la sentinelle None : sortez de la boucle "
                "(return ou break) quand l'élément vaut None.")
MSG_EXCEPTION_STOCKEE = ("travailleur : quand traitement lève une exception, stockez l'objet exception comme "
                         "résultat (resultats[indice] = e) et continuez ; obtenu pour l'indice 1 : {obtenu}.")


def plus_dix(x):
    return x + 10


def refuse_six(x):
    if x == 6:
        raise ValueError("six refusé")
    return x + 10


def _lancer_travailleur(elements, traitement, attendre_avant=0.0):
    def scenario(ctx: Contexte):
        file = ctx.queue.Queue()
        resultats = {}
        t = ctx.threading.Thread(target=ctx["travailleur"], args=(file, resultats, traitement))
        t.start()
        ctx.time.sleep(attendre_avant)  # an idle worker must block, not spin
        for e in elements:
            file.put(e)
        t.join(5.0)
        sur = {k: (type(v).__name__ if isinstance(v, Exception) else valeur_sure(v))
               for k, v in list(resultats.items()) if type(k) is int}
        return sur, file.nb_get, file.nb_task_done, not t.is_alive()
    return scenario


def _verifier_travailleur(ex, attendu: dict, pris: int) -> None:
    fail_on_problem(ex, "travailleur")
    resultats, nb_get, nb_task_done, fini = ex.valeur
    if not fini:
        raise Echec(MSG_PAS_FINI)
    if nb_task_done != nb_get or nb_get != pris:
        raise Echec(MSG_TASK_DONE.format(appels=nb_task_done, pris=nb_get))
    if resultats != attendu:
        raise Echec(MSG_RESULTATS.format(obtenu=resultats, attendu=attendu))


def _travailleur_normal(sub: Soumission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["travailleur"], _lancer_travailleur([(0, 4), (1, 6), (2, 1), None], plus_dix))
    _verifier_travailleur(ex, {0: 14, 1: 16, 2: 11}, 4)


def _travailleur_exception(sub: Soumission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["travailleur"], _lancer_travailleur([(0, 4), (1, 6), (2, 1), None], refuse_six))
    fail_on_problem(ex, "travailleur")
    if ex.valeur[0].get(1) != "ValueError":
        raise Echec(MSG_EXCEPTION_STOCKEE.format(obtenu=ex.valeur[0].get(1)))
    _verifier_travailleur(ex, {0: 14, 1: "ValueError", 2: 11}, 4)


def _travailleur_bloquant(sub: Soumission, seeds: Sequence[int]) -> None:
    ex = sub.executer(["travailleur"], _lancer_travailleur([(0, 2), None], plus_dix, attendre_avant=3.0),
                      pas_max=20_000)
    _verifier_travailleur(ex, {0: 12}, 2)


MSG_TRAITER = "traiter_taches({donnees}, plus_dix, {nb}) : résultat {obtenu!r} au lieu de {attendu!r}."
MSG_TRAITE_DEUX_FOIS = "L'élément {indice} a été traité {n} fois au lieu d'une : chaque élément doit être traité exactement une fois."
MSG_VIVANTS = ("traiter_taches a rendu la main alors que des travailleurs tournent encore ({threads}) : envoyez "
               "une sentinelle None par travailleur, puis attendez-les tous avec join().")
MSG_BLOQUES = ("Des travailleurs restent bloqués pour toujours après le retour de traiter_taches :\n{detail}\n"
               "Il faut une sentinelle None par travailleur.")
MSG_NB_TRAVAILLEURS = "traiter_taches(…, nb_travailleurs={n}) a démarré {k} thread(s) au lieu de {n}."
MSG_EXCEPTION = ("Quand traitement échoue sur certains éléments, traiter_taches doit traiter tous les autres, "
                 "arrêter ses travailleurs, puis relever l'exception du premier élément en échec (dans l'ordre "
                 "des données) ; obtenu : {obtenu}.")


def echoue_sur_1_et_3(x):
    if x in (1, 3):
        raise ValueError(f"élément {x}")
    return x + 10


def _traiter(donnees, f, nb):
    def scenario(ctx: Contexte):
        appels: dict = {}

        def traitement(x):
            appels[x] = appels.get(x, 0) + 1
            return f(x)
        try:
            valeur = ("ok", valeur_sure(ctx["traiter_taches"](list(donnees), traitement, nb)))
        except ValueError as e:
            valeur = ("exception", valeur_sure(e.args[0] if e.args else None))
        ctx.retour()
        return valeur, dict(appels)
    return scenario


def _executer_traiter(sub: Soumission, donnees, f, nb, seed):
    ex = sub.executer(["traiter_taches"], _traiter(donnees, f, nb), seed,
                      references={"travailleur": GOOD_TRAVAILLEUR})
    fail_on_problem(ex, "traiter_taches")
    return ex


def _verifier_arret(ex, n: int) -> None:
    if ex.bloques_a_la_fin:
        raise SeededFailure(MSG_BLOQUES.format(detail="\n".join("    " + b for b in ex.bloques_a_la_fin)), ex.graine)
    if ex.cycle.vivants_au_retour:
        raise SeededFailure(MSG_VIVANTS.format(threads=", ".join(ex.cycle.vivants_au_retour)), ex.graine)
    if len(ex.cycle.demarres()) != n:
        raise SeededFailure(MSG_NB_TRAVAILLEURS.format(n=n, k=len(ex.cycle.demarres())), ex.graine)


def _traiter_resultats(sub: Soumission, seeds: Sequence[int]) -> None:
    for donnees, nb in ([5, 0, 7, 2, 9], 2), ([], 3):
        for seed in seeds:
            ex = _executer_traiter(sub, donnees, plus_dix, nb, seed)
            (genre, valeur), appels = ex.valeur
            attendu = [d + 10 for d in donnees]
            if genre != "ok" or valeur != attendu:
                raise SeededFailure(MSG_TRAITER.format(donnees=donnees, nb=nb, obtenu=valeur, attendu=attendu), seed)
            for d, k in appels.items():
                if k != 1:
                    raise SeededFailure(MSG_TRAITE_DEUX_FOIS.format(indice=d, n=k), seed)


def _traiter_arret(sub: Soumission, seeds: Sequence[int]) -> None:
    for donnees, nb in ([8], 2), ([3, 4, 5, 6], 2):
        for seed in seeds:
            _verifier_arret(_executer_traiter(sub, donnees, plus_dix, nb, seed), nb)


def _traiter_exceptions(sub: Soumission, seeds: Sequence[int]) -> None:
    donnees = list(range(5))
    for seed in seeds:
        ex = _executer_traiter(sub, donnees, echoue_sur_1_et_3, 2, seed)
        (genre, valeur), appels = ex.valeur
        if (genre, valeur) != ("exception", "élément 1"):
            raise SeededFailure(MSG_EXCEPTION.format(obtenu=f"{genre} {valeur!r}"), seed)
        if sorted(appels) != donnees:
            raise SeededFailure(MSG_EXCEPTION.format(obtenu=f"éléments traités {sorted(appels)}"), seed)
        _verifier_arret(ex, 2)


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


MSG_CHEVAUCHEMENT = ("telecharger_tous(4 urls, max_workers=2) : au plus {vu} appel(s) à telecharger en même temps "
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
MSG_AUTRE_EXCEPTION = "telecharger_tous doit laisser remonter l'exception de telecharger (ErreurReseau), pas {exception}."
MSG_MEME_PROCESSUS = ("calculer_en_parallele a calculé dans le processus appelant ({n} valeur(s) sur {total}) : "
                      "à cause du GIL, des threads n'accélèrent pas le calcul. Utilisez un ProcessPoolExecutor "
                      "(ou multiprocessing.Pool) de nb_processus processus.")


def _telecharger_chevauchement(sub: Soumission, seeds: Sequence[int]) -> None:
    ns = sub.charger_reel(["telecharger_tous"])
    urls = ["u1", "u2", "u3", "u4"]
    gate = Gate(2)
    resultat = call_real("telecharger_tous", ns["telecharger_tous"], urls, gate, 2)
    if gate.max_seen > 2:
        raise Echec(MSG_TROP.format(vu=gate.max_seen))
    if gate.in_caller:
        raise Echec(MSG_APPELANT)
    if gate.max_seen < 2:
        raise Echec(MSG_CHEVAUCHEMENT.format(vu=gate.max_seen))
    obtenu, attendu = valeur_sure(resultat), [f"page {u}" for u in urls]
    if type(obtenu) is not list or sorted(map(str, obtenu)) != attendu:
        raise Echec(MSG_VALEUR.format(quoi="telecharger_tous", obtenu=obtenu, attendu=attendu))


def _ordre(quoi: str, obtenu, attendu) -> None:
    if obtenu != attendu:
        same = type(obtenu) is list and sorted(map(repr, obtenu)) == sorted(map(repr, attendu))
        raise Echec(MSG_ORDRE.format(quoi=quoi, obtenu=obtenu, attendu=attendu) if same
                    else MSG_VALEUR.format(quoi=quoi, obtenu=obtenu, attendu=attendu))


def _telecharger_ordre(sub: Soumission, seeds: Sequence[int]) -> None:
    modules, _ = fabriquer_modules()  # pools that finish their tasks in reverse order
    ns = sub.charger_reel(["telecharger_tous"], modules=modules)
    obtenu = valeur_sure(call_real("telecharger_tous", ns["telecharger_tous"], ["x", "y", "z"], str.upper, 2))
    _ordre("telecharger_tous", obtenu, ["X", "Y", "Z"])


class ErreurReseau(Exception):
    """Raised by the fake download of one url."""


def _fragile(url: str) -> str:
    if url == "y":
        raise ErreurReseau("page y introuvable")
    return url.upper()


def _telecharger_erreur(sub: Soumission, seeds: Sequence[int]) -> None:
    modules, _ = fabriquer_modules()
    ns = sub.charger_reel(["telecharger_tous"], modules=modules)
    try:
        ns["telecharger_tous"](["x", "y", "z"], _fragile, 2)
    except ErreurReseau:
        return
    except NotImplementedError:
        raise Echec(MSG_NON_IMPLEMENTE.format(quoi="telecharger_tous")) from None
    except Exception as e:  # noqa: BLE001
        raise Echec(MSG_AUTRE_EXCEPTION.format(exception=resumer_exception(e))) from None
    raise Echec(MSG_AVALEE)


def carre(x):
    return x * x


def _calculer_ordre(sub: Soumission, seeds: Sequence[int]) -> None:
    modules, _ = fabriquer_modules()
    ns = sub.charger_reel(["calculer_en_parallele"], modules=modules)
    valeurs = [2, 7, 1, 8, 3]
    obtenu = valeur_sure(call_real("calculer_en_parallele", ns["calculer_en_parallele"], carre, list(valeurs), 2))
    _ordre("calculer_en_parallele", obtenu, [v * v for v in valeurs])


def _calculer_processus(sub: Soumission, seeds: Sequence[int]) -> None:
    ns = sub.charger_reel(["calculer_en_parallele"])
    valeurs = [5, 6, 7]
    obtenu = valeur_sure(call_real("calculer_en_parallele", ns["calculer_en_parallele"], pid_et_carre, valeurs, 2))
    if type(obtenu) is not list or len(obtenu) != 3 or not all(type(x) is tuple and len(x) == 2 for x in obtenu):
        raise Echec(MSG_VALEUR.format(quoi="calculer_en_parallele(pid_et_carre, [5, 6, 7], 2)", obtenu=obtenu,
                                      attendu="une liste de 3 couples"))
    ici = sum(1 for pid, _ in obtenu if pid == os.getpid())
    if ici:
        raise Echec(MSG_MEME_PROCESSUS.format(n=ici, total=len(valeurs)))


TASKS_IO = [
    PublicTask("03-file-attente", "travailleur", (
        PublicCheck("traite chaque élément, task_done() pour chacun (sentinelle comprise), s'arrête sur None",
                    _travailleur_normal),
        PublicCheck("une exception de traitement est stockée et le travailleur continue", _travailleur_exception),
        PublicCheck("sur une file vide, attend dans get() sans tourner en boucle", _travailleur_bloquant))),
    PublicTask("03-file-attente", "traiter_taches", (
        PublicCheck("résultats dans l'ordre, chaque élément traité une fois (et liste vide)", _traiter_resultats,
                    (2101,)),
        PublicCheck("tous les travailleurs démarrent et sont terminés au retour", _traiter_arret,
                    tuple(range(2100, 2110))),
        PublicCheck("avec des échecs : tout est traité, puis l'exception du premier échec est relevée",
                    _traiter_exceptions, (2103,)))),
    PublicTask("04-gil", "telecharger_tous", (
        PublicCheck("résultats dans l'ordre des urls (pool qui finit dans le désordre)", _telecharger_ordre),
        PublicCheck("une exception de telecharger remonte jusqu'à l'appelant", _telecharger_erreur),
        PublicCheck("max_workers appels se chevauchent, jamais plus (vrais threads)", _telecharger_chevauchement)),
        limit=15.0),
    PublicTask("04-gil", "calculer_en_parallele", (
        PublicCheck("résultats dans l'ordre des valeurs (pool qui finit dans le désordre)", _calculer_ordre),
        PublicCheck("les calculs ont lieu dans d'autres processus (vrai pool)", _calculer_processus)),
        limit=15.0),
]
