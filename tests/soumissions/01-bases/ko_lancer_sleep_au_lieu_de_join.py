# description: time.sleep(3) « pour être sûr » au lieu de join() : pas attendus, et trop lent
# attendu: lancer_threads=1
# message: lancer_threads=MSG_PAS_JOINT
# %% lancer_threads
import time
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=c) for c in messages]
    for f in fils:
        f.start()
    time.sleep(3)
    return fils
