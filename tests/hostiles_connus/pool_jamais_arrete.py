# description: travailleurs démons jamais arrêtés (aucune sentinelle, aucun join) ; avant le retour, marque ses propres Thread (et leur tâche d'ordonnanceur) finis et ajoute de faux événements « fin »
# devoir: 03-file-attente
# attendu: traiter_taches=2
# %% traiter_taches
import queue
import threading
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    fils = [threading.Thread(target=travailleur, args=(file, resultats, traitement), daemon=True)
            for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    file.join()
    for f in fils:  # the workers are still blocked in file.get(): pretend they ended
        f._finished = True
        tache = getattr(f, "_task", None)
        if tache is not None:
            tache.finished = True
        ctx = getattr(f, "_standin_context", None)
        if ctx is not None:
            ctx.lifecycle.event("join", f, timeout=None)
            ctx.lifecycle.event("fin", f)
            ctx.lifecycle.event("join_fin", f)
    sortie = [resultats[i] for i in range(len(donnees))]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
