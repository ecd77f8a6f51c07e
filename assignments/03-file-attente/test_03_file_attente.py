"""Hidden grader of 03-file-attente: items processed once, task_done balanced, every worker ends."""
from __future__ import annotations

import pytest

from autograder.probes.api import Echec, valeur_sure
from autograder.probes.verdicts import MSG_VALEUR, exiger_propre

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

MSG_RESULTATS = "travailleur : resultats vaut {obtenu} au lieu de {attendu}."
MSG_TASK_DONE = ("travailleur : {appels} appel(s) à task_done() pour {pris} élément(s) pris dans la file "
                 "(sentinelle comprise) : appelez file.task_done() exactement une fois par get(), même quand "
                 "traitement lève une exception (try/finally).")
MSG_PAS_FINI = ("travailleur ne s'est pas arrêté après avoir pris la sentinelle None : sortez de la boucle "
                "(return ou break) quand l'élément vaut None.")
MSG_EXCEPTION_STOCKEE = ("travailleur : quand traitement lève une exception, stockez l'objet exception comme "
                         "résultat (resultats[indice] = e) et continuez ; obtenu pour l'indice 1 : {obtenu}.")
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
        sur = {k: (f"{type(v).__name__}" if isinstance(v, Exception) else valeur_sure(v)) for k, v in
               list(resultats.items()) if type(k) is int}
        return sur, file.nb_get, file.nb_task_done, fini
    return scenario


def _verifier_travailleur(ex, attendu, pris):
    exiger_propre(ex, "travailleur")
    resultats, nb_get, nb_task_done, fini = ex.valeur
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


def _fragile(x):
    if x == 3:
        raise ValueError("donnée refusée")
    return x * x


@pytest.mark.tache("travailleur", poids=1)
def test_travailleur_survit_aux_exceptions(soumission):
    """Une exception de traitement est stockée comme résultat ; le travailleur continue et task_done reste équilibré."""
    elements = [(0, 2), (1, 3), (2, 5), None]
    ex = soumission.executer(["travailleur"], _lancer_travailleur(elements, _fragile))
    exiger_propre(ex, "travailleur")
    resultats = ex.valeur[0]
    if resultats.get(1) != "ValueError":
        raise Echec(MSG_EXCEPTION_STOCKEE.format(obtenu=resultats.get(1)))
    _verifier_travailleur(ex, {0: 4, 1: "ValueError", 2: 25}, 4)


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


def _traiter(donnees, f, nb):
    def scenario(ctx):
        traitement, appels = _compteur_appels(f)
        try:
            valeur = ("ok", valeur_sure(ctx["traiter_taches"](list(donnees), traitement, nb)))
        except ValueError as e:
            valeur = ("exception", valeur_sure(e.args[0] if e.args else None))
        ctx.retour()
        return valeur, dict(appels)
    return scenario


def _executer_traiter(soumission, donnees, f, nb, graine=0):
    ex = soumission.executer(["traiter_taches"], _traiter(donnees, f, nb), graine,
                             references={"travailleur": REFERENCE_TRAVAILLEUR})
    exiger_propre(ex, "traiter_taches")
    return ex


MSG_VIVANTS = ("traiter_taches a rendu la main alors que des travailleurs tournent encore ({threads}) : envoyez "
               "une sentinelle None par travailleur, puis attendez-les tous avec join().")
MSG_BLOQUES = ("Des travailleurs restent bloqués pour toujours après le retour de traiter_taches :\n{detail}\n"
               "Il faut une sentinelle None par travailleur.")
MSG_NB_TRAVAILLEURS = "traiter_taches(…, nb_travailleurs={n}) a démarré {k} thread(s) au lieu de {n}."
MSG_EXCEPTION = ("Quand traitement échoue sur certains éléments, traiter_taches doit traiter tous les autres, "
                 "arrêter ses travailleurs, puis relever l'exception du premier élément en échec (dans l'ordre "
                 "des données) ; obtenu : {obtenu}.")


def _verifier_arret(ex, n):
    cycle = ex.cycle
    if ex.bloques_a_la_fin:
        raise Echec(MSG_BLOQUES.format(detail="\n".join("    " + b for b in ex.bloques_a_la_fin)))
    if cycle.vivants_au_retour:
        raise Echec(MSG_VIVANTS.format(threads=", ".join(cycle.vivants_au_retour)))
    if n is not None and len(cycle.demarres()) != n:
        raise Echec(MSG_NB_TRAVAILLEURS.format(n=n, k=len(cycle.demarres())))


@pytest.mark.tache("traiter_taches", poids=2)
@pytest.mark.parametrize("donnees, nb", [(list(range(7)), 3), ([4, 5], 5), ([], 2)])
def test_traiter_taches_resultats(soumission, donnees, nb):
    """traiter_taches renvoie [traitement(d) for d in donnees], chaque élément traité une seule fois."""
    for graine in range(2):
        ex = _executer_traiter(soumission, donnees, _carre, nb, graine)
        (genre, valeur), appels = ex.valeur
        attendu = [d * d for d in donnees]
        if genre != "ok" or valeur != attendu:
            raise Echec(MSG_VALEUR.format(quoi=f"traiter_taches({donnees}, carre, {nb})", obtenu=valeur,
                                          attendu=attendu))
        for d, k in appels.items():
            if k != 1:
                raise Echec(MSG_TRAITE_DEUX_FOIS.format(indice=d, n=k))


@pytest.mark.tache("traiter_taches", poids=2)
@pytest.mark.parametrize("donnees, nb", [(list(range(6)), 3), ([1], 4)])
def test_traiter_taches_arret_propre(soumission, donnees, nb):
    """Tous les travailleurs démarrent, reçoivent leur sentinelle et sont terminés au retour."""
    for graine in range(2):
        ex = _executer_traiter(soumission, donnees, _carre, nb, graine)
        _verifier_arret(ex, nb)


def _echoue_sur_2_et_4(x):
    if x in (2, 4):
        raise ValueError(f"élément {x}")
    return x * x


@pytest.mark.tache("traiter_taches", poids=2)
def test_traiter_taches_exceptions(soumission):
    """Avec des échecs, tout est traité, les travailleurs s'arrêtent, l'exception du premier échec est relevée."""
    donnees = list(range(6))
    for graine in range(2):
        ex = _executer_traiter(soumission, donnees, _echoue_sur_2_et_4, 3, graine)
        (genre, valeur), appels = ex.valeur
        if (genre, valeur) != ("exception", "élément 2"):
            raise Echec(MSG_EXCEPTION.format(obtenu=f"{genre} {valeur!r}"))
        if sorted(appels) != donnees:
            raise Echec(MSG_EXCEPTION.format(obtenu=f"éléments traités {sorted(appels)}"))
        _verifier_arret(ex, 3)
