"""What a hidden grader receives: the student's cells, ways to run them, and Echec for a failed check."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from .espace import AccesInterdit, fabriquer_espace
from .harness import ErreurChargement, Execution, compiler, executer
from .sortie import resumer_exception

MSG_CELLULE_MANQUANTE = ("La cellule « {gid} » est introuvable dans votre notebook (supprimée, ou son identifiant "
                         "a changé) : reprenez-la depuis la version distribuée et complétez-la.")
MSG_NON_IMPLEMENTE = ("{quoi} n'est pas encore implémenté (NotImplementedError) : remplacez "
                      "« raise NotImplementedError() » par votre code.")
MSG_EXCEPTION = "{quoi} a levé une exception inattendue : {exception}."


def valeur_sure(v: Any) -> Any:
    """``v`` if it is a plain value, else a description: a student object never takes part in a comparison."""
    if type(v) in (int, float, bool, str, type(None)):
        return v
    if type(v) in (tuple, list):
        return type(v)(valeur_sure(x) for x in v)
    return f"<objet {type(v).__name__}>"


class Echec(AssertionError):
    """A failed check; its text is shown to the student as is (French, actionable)."""


class Soumission:
    """The solution cells of one submitted notebook, keyed by grade_id."""

    def __init__(self, cellules: dict[str, str]) -> None:
        self.cellules = dict(cellules)

    def source(self, gid: str) -> str:
        if gid not in self.cellules:
            raise Echec(MSG_CELLULE_MANQUANTE.format(gid=gid))
        return self.cellules[gid]

    def _cellules(self, gids: Iterable[str], references: dict[str, str] | None) -> dict[str, str]:
        cellules = dict(references or {})
        for gid in gids:
            cellules[gid] = self.source(gid)
        return cellules

    def executer(self, gids: Iterable[str], scenario: Callable, graine: int = 0, *,
                 references: dict[str, str] | None = None, **options: Any) -> Execution:
        """One seeded run; ``references`` are known-good cells loaded first (a student loses a mistake once)."""
        try:
            return executer(self._cellules(gids, references), scenario, graine, **options)
        except ErreurChargement as e:
            raise Echec(str(e)) from None

    def charger_reel(self, gids: Iterable[str], references: dict[str, str] | None = None,
                     modules: dict[str, Any] | None = None) -> dict[str, Any]:
        """Load cells with real threading/time/queue (real threads or processes), ``modules`` replacing others."""
        ns = fabriquer_espace(modules or {})
        for gid, src in self._cellules(gids, references).items():
            try:
                exec(compiler(gid, src), ns)
            except ErreurChargement as e:
                raise Echec(str(e)) from None
            except NotImplementedError:
                raise Echec(MSG_NON_IMPLEMENTE.format(quoi=gid)) from None
            except AccesInterdit as e:
                raise Echec(str(e)) from None
            except BaseException as e:  # noqa: BLE001
                raise Echec(f"La cellule « {gid} » plante à l'exécution : {resumer_exception(e)}.") from None
        return ns
