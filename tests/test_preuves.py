"""Evidence from a jail is parsed with caps: whatever a submission sends, the deciding process survives."""
from __future__ import annotations

import json
import math

import pytest

from autograder.probes.preuves import (PROFONDEUR_MAX, TAILLE_MAX, PreuveInvalide, decoder, encoder,
                                       execution_depuis_donnees, lire_message)


def aller_retour(v):
    return decoder(json.loads(json.dumps(encoder(v))))


@pytest.mark.parametrize("valeur", [None, True, 3, -2.5, "é", [1, (2, 3)], (5, 5), {1: [2], (3, 4): "x"},
                                    ("ok", [1, 4, 9]), {"a": (1,)}])
def test_valeurs_simples_survivent(valeur):
    assert aller_retour(valeur) == valeur
    assert type(aller_retour(valeur)) is type(valeur)


def test_flottants_speciaux():
    assert math.isnan(aller_retour(float("nan")))
    assert aller_retour(float("inf")) == float("inf")


def test_objet_devient_description():
    class Egal:
        def __eq__(self, autre):
            return True
    assert aller_retour([Egal()]) == ["<objet Egal>"]
    assert aller_retour(True.__class__(1)) is True


def test_imbrication_profonde_refusee():
    ligne = ("[" * 100_000 + "]" * 100_000).encode()
    with pytest.raises(PreuveInvalide):
        lire_message(b'{"a": ' + ligne + b"}")


def test_imbrication_raisonnable_acceptee():
    profond = 1
    for _ in range(PROFONDEUR_MAX):
        profond = [profond]
    assert lire_message(json.dumps({"v": profond}).encode())["v"] == profond


@pytest.mark.parametrize("ligne", [b"\xff\xfe", b"[1, 2]", b"not json", b'{"a": 1', b"", b"null"])
def test_lignes_invalides(ligne):
    with pytest.raises(PreuveInvalide):
        lire_message(ligne)


def test_trop_gros():
    with pytest.raises(PreuveInvalide):
        lire_message(b'{"a": "' + b"x" * (TAILLE_MAX + 1) + b'"}')


@pytest.mark.parametrize("forme", [{"__t": 3}, {"__d": [[[1], 2]]}, {"__f": "1e400"}, {"a": 1, "b": 2}])
def test_formes_inconnues(forme):
    with pytest.raises(PreuveInvalide):
        decoder(forme)


@pytest.mark.parametrize("champ, valeur", [("journal", [[1]]), ("cycle", {"evenements": [[1, 2]]}),
                                           ("horodatage", [["x", "y"]]), ("pas", "beaucoup")])
def test_execution_mal_formee(champ, valeur):
    with pytest.raises(PreuveInvalide):
        execution_depuis_donnees({champ: valeur})


def test_execution_vide_est_propre():
    ex = execution_depuis_donnees({})
    assert ex.propre and ex.valeur is None and ex.courses == []
