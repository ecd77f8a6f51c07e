# description: correct, avec des magies IPython (%%time, %matplotlib, !echo) dans la cellule
# attendu: incrementer=4
# %% incrementer
%%time
import threading
compteur = 0
verrou = threading.Lock()
%matplotlib inline
!echo bonjour

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
%time incrementer(10)
compteur = 0
