# description: threads démons et sleep au lieu de join
# attendu: lancer_threads=2
# message: lancer_threads=MSG_PAS_JOINT
# %% lancer_threads
import time
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=c, daemon=True) for c in messages]
    for f in fils:
        f.start()
    time.sleep(max(d for _, d in messages) + 0.1)
    return fils
