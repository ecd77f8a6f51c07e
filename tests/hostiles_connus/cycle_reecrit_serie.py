# description: start/join en série, puis réécrit en place les pas des événements « start » du journal de cycle de vie et recule l'horloge virtuelle (variable que le scellé autorise), les deux atteints par Thread._standin_context
# devoir: 01-bases
# attendu: lancer_threads=1
# %% lancer_threads
def lancer_threads(messages):
    ctx = getattr(threading.Thread, "_standin_context", None)
    sched = getattr(ctx, "scheduler", None)
    h0 = getattr(sched, "horloge", None)
    fils = []
    for c in messages:
        f = threading.Thread(target=afficher_message, args=c)
        f.start()
        f.join()
        fils.append(f)
    cycle = getattr(ctx, "lifecycle", None)
    if cycle is not None:
        debut = min((e.pas for e in cycle.evenements if e.genre == "start"), default=0)
        for e in cycle.evenements:
            if e.genre == "start":
                e.pas = debut
    if h0 is not None and messages:
        sched.horloge = h0 + max(d for _, d in messages) + 0.001
    return fils
