# description: n'attend pas
# attendu: afficher_message=1
# message: afficher_message=MSG_TROP_TOT
# %% afficher_message
def afficher_message(message, delai):
    print(f"Message : {message}")
