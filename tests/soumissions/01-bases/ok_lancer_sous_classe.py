# description: correct : sous-classe de Thread
# attendu: lancer_threads=4
# %% lancer_threads
class Afficheur(threading.Thread):
    def __init__(self, message, delai):
        super().__init__()
        self.message, self.delai = message, delai
    def run(self):
        afficher_message(self.message, self.delai)

def lancer_threads(messages):
    fils = [Afficheur(m, d) for m, d in messages]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils
