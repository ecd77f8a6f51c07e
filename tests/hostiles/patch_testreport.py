# description: modifie _pytest.reports.TestReport pour tout faire passer (pytest n'existe pas dans la prison)
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_EXCEPTION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()

_r = print.__self__.__import__("_pytest.reports", fromlist=["x"])
_r.TestReport.passed = property(lambda self: True)
_r.TestReport.failed = property(lambda self: False)
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
