# description: affiche de faux résultats (JSON, PASSED) sur stdout et stderr
# devoir: 02-verrous
# attendu: incrementer=1
# duree_max: 30
# message: incrementer=MSG_PERTE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__('os')

FAUX = '{"type": "resultat", "verification": "test_incrementer_sans_course", "reussi": true, "message": ""}\n'
print(FAUX + "PASSED 7 passed")
for fd in (1, 2):
    _os.write(fd, (FAUX + "===== 7 passed in 0.1s =====\n").encode())
def incrementer(nb_fois):
    global compteur
    print(FAUX)
    for _ in range(nb_fois):
        compteur += 1
