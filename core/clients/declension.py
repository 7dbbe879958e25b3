"""Grammatical case of names dropped into a Russian sentence (K2 script texts): a script field may
name a case — `{client.first_name:acc}` "Могу я услышать Нину?", `{client.first_name:ins}` "с Ниной".

Declension by pytrovich (the petrovich rules for Russian first names, patronymics and surnames);
the gender is told by the patronymic and the first name. A name the rules do not know (a Latin
name, say) stays as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

# The case names a field may take, as in `{client.first_name:acc}`.
CASES: dict[str, Case | None] = {
    "nom": None,  # nominative: as written
    "gen": Case.GENITIVE,  # кого? нет Нины Леоновны
    "dat": Case.DATIVE,  # кому? перезвонить Нине Леоновне
    "acc": Case.ACCUSATIVE,  # кого? услышать Нину Леоновну
    "ins": Case.INSTRUMENTAL,  # с кем? поговорить с Ниной Леоновной
    "pre": Case.PREPOSITIONAL,  # о ком? о Нине Леоновне
}
# The fields that are names (and so may take a case); `full_name` is "surname first patronymic".
NAME_PARTS = {
    "first_name": NamePart.FIRSTNAME,
    "patronymic": NamePart.MIDDLENAME,
    "surname": NamePart.LASTNAME,
}
NAME_FIELDS = frozenset({"client.first_name", "client.patronymic", "client.surname", "client.full_name"})

_maker = PetrovichDeclinationMaker()
_detector = PetrovichGenderDetector()


def case_problem(field: str, case: str) -> str | None:
    """Why `{field:case}` cannot be rendered (None: it can)."""
    if case not in CASES:
        return f"unknown case '{case}' in {{{field}:{case}}} (known: {', '.join(CASES)})"
    if field not in NAME_FIELDS:
        return f"{{{field}:{case}}}: only names take a case ({', '.join(sorted(NAME_FIELDS))})"
    return None


@lru_cache(maxsize=256)
def _gender(first_name: str, patronymic: str) -> Gender:
    try:
        return _detector.detect(firstname=first_name or None, middlename=patronymic or None)
    except Exception:  # noqa: BLE001 - an unknown name: decline as either gender
        return Gender.ANDROGYNOUS


@lru_cache(maxsize=1024)
def _decline(part: NamePart, gender: Gender, case: Case, word: str) -> str:
    try:
        return _maker.make(part, gender, case, word)
    except Exception:  # noqa: BLE001 - the rules do not know this word: as written
        return word


def decline(field: str, case: str, values: Mapping[str, str | None]) -> str:
    """The value of a client name field in `case` (the field's own value for "nom")."""
    value = values.get(field) or ""
    wanted = CASES.get(case)
    if wanted is None or not value:
        return value
    first, patronymic = values.get("client.first_name") or "", values.get("client.patronymic") or ""
    gender = _gender(first, patronymic)
    name = field.split(".", 1)[1]
    if name in NAME_PARTS:
        return _decline(NAME_PARTS[name], gender, wanted, value)
    words = value.split()  # full_name: surname, first name, patronymic
    parts = [NamePart.LASTNAME, NamePart.FIRSTNAME, NamePart.MIDDLENAME]
    return " ".join(_decline(parts[i], gender, wanted, w) if i < 3 else w for i, w in enumerate(words))
