"""Hidden grader of 03-file-attente: items processed once, task_done balanced, every worker ends."""
from __future__ import annotations

import pytest

from autograder.probes.api import MSG_EXCEPTION as MSG_EXCEPTION_INATTENDUE, Echec, valeur_sure
from autograder.probes.verdicts import MSG_VALEUR, NUMEROTATION, detail_interblocage, exiger_propre

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
REFERENCE_TRAVAILLEUR_LENT = '''
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


class ErreurMetier(Exception):
    """An exception type of the course's own: a worker must survive any type, not only built-in ones."""


MSG_RESULTATS = "travailleur : resultats vaut {obtenu} au lieu de {attendu}."
MSG_TASK_DONE = ("travailleur : {appels} appel(s) à task_done() pour {pris} élément(s) pris dans la file "
                 "(sentinelle comprise) : appelez file.task_done() exactement une fois par get(), même quand "
                 "traitement lève une exception (try/finally).")
MSG_PAS_FINI = ("travailleur ne s'est pas arrêté après avoir pris la sentinelle None : sortez de la boucle "
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
MSG_TRAITE_DEUX_FOIS = "L'élément {indice} a été traité {n} fois au lieu d'une : chaque élément doit être traité exactement une fois."


def _carre(x):
    return x * x


def _lancer_travailleur(elements, traitement, attendre_avant=0.0):
    def scenario(ctx):
        file = ctx.queue.Queue()
        resultats = {}
        t = ctx.threading.Thread(target=ctx["travailleur"], args=(file, resultats, traitement))
        t.start()
        ctx.time.sleep(attendre_avant)  # an idle worker must block, not spin
        for e in elements:
            file.put(e)
        t.join(5.0)
        fini = not t.is_alive()
        sur = {k: (f"{type(v).__name__}" if isinstance(v, BaseException) else valeur_sure(v)) for k, v in
               list(resultats.items()) if type(k) is int}
        meme_objet = any(v is e for v in resultats.values() for e in levees(traitement))
        return sorted(sur.items()), file.nb_get, file.nb_task_done, fini, meme_objet  # plain data: no dict
    return scenario


def _verifier_travailleur(ex, attendu, pris):
    exiger_propre(ex, "travailleur")
    paires, nb_get, nb_task_done, fini, _meme = ex.valeur
    resultats = {k: v for k, v in paires}
    if fini and nb_get < pris and nb_task_done == nb_get:
        raise Echec(MSG_ARRET_PREMATURE.format(pris=nb_get, attendu=pris))
    if not fini:
        raise Echec(MSG_PAS_FINI)
    if nb_task_done != nb_get or nb_get != pris:
        raise Echec(MSG_TASK_DONE.format(appels=nb_task_done, pris=nb_get))
    if resultats != attendu:
        raise Echec(MSG_RESULTATS.format(obtenu=resultats, attendu=attendu))


@pytest.mark.tache("travailleur", poids=2)
def test_travailleur_traite_puis_s_arrete(soumission):
    """travailleur traite chaque élément, appelle task_done pour chacun (sentinelle comprise) et s'arrête sur None."""
    elements = [(0, 2), (1, 3), (2, 5), None]
    ex = soumission.executer(["travailleur"], _lancer_travailleur(elements, _carre))
    _verifier_travailleur(ex, {0: 4, 1: 9, 2: 25}, 4)


def levees(traitement) -> list:
    """The exception objects ``traitement`` raised so far (only fragile ones raise)."""
    return getattr(traitement, "levees", [])


class Fragile:
    """A traitement that raises ``type_`` for the value 3, and remembers the object it raised."""

    def __init__(self, type_: type) -> None:
        self.type_, self.levees = type_, []

    def __call__(self, x):
        if x == 3:
            e = self.type_("donnée refusée")
            self.levees.append(e)
            raise e
        return x * x


TYPES_LEVES = (ValueError, KeyError, ZeroDivisionError, ErreurMetier)


@pytest.mark.tache("travailleur", poids=1)
def test_travailleur_survit_aux_exceptions(soumission):
    """Toute exception de traitement (quel que soit son type) est stockée comme résultat ; le travailleur continue
    et task_done reste équilibré."""
    elements = [(0, 2), (1, 3), (2, 5), None]
    for type_ in TYPES_LEVES:
        ex = soumission.executer(["travailleur"], _lancer_travailleur(elements, Fragile(type_)))
        nom = type_.__name__
        if ex.exceptions_threads and ex.exceptions_threads[0][1].startswith(nom + ":") \
                and "donnée refusée" in ex.exceptions_threads[0][1]:  # the very exception traitement raised
            raise Echec(MSG_TYPE_NON_ATTRAPE.format(type=nom))
        exiger_propre(ex, "travailleur")
        resultats, meme_objet = {k: v for k, v in ex.valeur[0]}, ex.valeur[4]
        if resultats.get(1) != nom or not meme_objet:
            raise Echec(MSG_EXCEPTION_STOCKEE.format(type=nom, obtenu=resultats.get(1)))
        _verifier_travailleur(ex, {0: 4, 1: nom, 2: 25}, 4)


@pytest.mark.tache("travailleur", poids=1)
def test_travailleur_bloque_sans_attente_active(soumission):
    """Sur une file vide, travailleur attend dans get() (bloquant) au lieu de tourner en boucle."""
    ex = soumission.executer(["travailleur"], _lancer_travailleur([(0, 1), None], _carre, attendre_avant=5.0),
                             pas_max=20_000)
    _verifier_travailleur(ex, {0: 1}, 2)


def _compteur_appels(f):
    appels = {}

    def traitement(x):
        appels[x] = appels.get(x, 0) + 1
        return f(x)
    return traitement, appels


def _traiter(donnees, f, nb, lent: bool = False):
    """Call traiter_taches (``nb`` None: its default); ``lent``: every call of traitement takes a virtual second."""
    def scenario(ctx):
        traitement, appels = _compteur_appels(f)
        if lent:
            rapide = traitement

            def traitement(x):
                ctx.time.sleep(1)
                return rapide(x)
        args = (list(donnees), traitement) if nb is None else (list(donnees), traitement, nb)
        try:
            valeur = ("ok", valeur_sure(ctx["traiter_taches"](*args)))
        except ValueError as e:
            valeur = ("exception", valeur_sure(e.args[0] if e.args else None))
        ctx.retour()
        mises = sum(getattr(fi, "nb_put", 0) for fi in ctx.cycle.files)
        return valeur, sorted(appels.items()), mises  # plain data: no dict
    return scenario


def _executer_traiter(soumission, donnees, f, nb, graine=0, reference=REFERENCE_TRAVAILLEUR, lent=False,
                      strategie="collante"):
    ex = soumission.executer(["traiter_taches"], _traiter(donnees, f, nb, lent), graine,
                             references={"travailleur": reference}, strategie=strategie)
    exiger_propre(ex, "traiter_taches")
    return ex


MSG_VIVANTS = ("traiter_taches a rendu la main alors que des travailleurs tournent encore ({threads} ; " + NUMEROTATION
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


def _verifier_arret(ex, n, appel: str):
    cycle = ex.cycle
    if ex.bloques_a_la_fin:
        raise Echec(MSG_BLOQUES.format(detail=detail_interblocage(ex.bloques_a_la_fin)))
    if cycle.vivants_au_retour:
        raise Echec(MSG_VIVANTS.format(threads=", ".join(cycle.vivants_au_retour)))
    if len(cycle.demarres()) != n:
        raise Echec(MSG_NB_TRAVAILLEURS.format(appel=appel, n=n, k=len(cycle.demarres())))


@pytest.mark.tache("traiter_taches", poids=2)
@pytest.mark.parametrize("donnees, nb", [(list(range(7)), 3), ([4, 5], 5), ([], 2)])
def test_traiter_taches_resultats(soumission, donnees, nb):
    """traiter_taches renvoie [traitement(d) for d in donnees], chaque élément traité une seule fois."""
    for graine in range(2):
        ex = _executer_traiter(soumission, donnees, _carre, nb, graine)
        (genre, valeur), paires, mises = ex.valeur
        appels = {d: k for d, k in paires}
        attendu = [d * d for d in donnees]
        if genre == "exception":  # the scenario catches ValueError only (what the failing traitement raises)
            raise Echec(MSG_EXCEPTION_INATTENDUE.format(quoi=f"traiter_taches({donnees}, carre, {nb})",
                                             exception=f"ValueError: {valeur}"))
        if valeur != attendu:
            raise Echec(MSG_VALEUR.format(quoi=f"traiter_taches({donnees}, carre, {nb})", obtenu=valeur,
                                          attendu=attendu))
        for d, k in appels.items():
            if k != 1:
                raise Echec(MSG_TRAITE_DEUX_FOIS.format(indice=d, n=k))
        if mises < len(donnees):
            raise Echec(MSG_SANS_FILE.format(n=len(donnees), k=mises))


@pytest.mark.tache("traiter_taches", poids=2)
@pytest.mark.parametrize("donnees, nb", [(list(range(6)), 3), ([1], 4), (list(range(4)), None)])
def test_traiter_taches_arret_propre(soumission, donnees, nb):
    """Tous les travailleurs démarrent (3 par défaut), reçoivent leur sentinelle et sont terminés au retour,
    attendus dans join() sans boucle active."""
    appel = f"{donnees}, traitement" + ("" if nb is None else f", {nb}")
    # Uniform seeds may switch at any step, e.g. right after a worker's last task_done(): a function that waits
    # with file.join() alone returns while its own workers are still running.
    for strategie, graine in [("collante", 0), ("collante", 1), ("uniforme", 0), ("uniforme", 1)]:
        ex = _executer_traiter(soumission, donnees, _carre, nb, graine, reference=REFERENCE_TRAVAILLEUR_LENT,
                               lent=True, strategie=strategie)
        _verifier_arret(ex, 3 if nb is None else nb, appel)


def _echoue_sur_2_et_4(x):
    if x in (2, 4):
        raise ValueError(f"élément {x}")
    return x * x


@pytest.mark.tache("traiter_taches", poids=2)
def test_traiter_taches_exceptions(soumission):
    """Avec des échecs, tout est traité, les travailleurs s'arrêtent, l'exception du premier échec est relevée."""
    donnees = list(range(6))
    for graine in range(2):
        ex = _executer_traiter(soumission, donnees, _echoue_sur_2_et_4, 3, graine, reference=REFERENCE_TRAVAILLEUR_LENT)
        (genre, valeur), paires, _mises = ex.valeur
        appels = {d: k for d, k in paires}
        if (genre, valeur) != ("exception", "élément 2"):
            raise Echec(MSG_EXCEPTION.format(obtenu=f"{genre} {valeur!r}"))
        if sorted(appels) != donnees:
            raise Echec(MSG_EXCEPTION.format(obtenu=f"éléments traités {sorted(appels)}"))
        _verifier_arret(ex, 3, f"{donnees}, traitement, 3")
