# description: compteur sans verrou caché dans exec(compile(..., "<x>")) pour échapper au traçage
# devoir: 02-verrous
# attendu: incrementer=1
# duree_max: 40
# message: incrementer=MSG_PERTE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
exec(compile("""
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
""", "<x>", "exec"))
