"""Saves each room its own French alphabetical order of names (class lists, the projector); no
time claimed.

``sorted(names, key=collation_key)`` sorts as a French dictionary or class list does, not by
code points (where « Élise » came after « Zoé » and « Aëlys » after « Anaïs »):

1. the letters alone, case and accents ignored, ligatures spelt out (œ → oe, æ → ae, ß → ss),
   spaces, hyphens and apostrophes ignored (« De la Tour » files with « Delatour », « N'Diaye »
   with « Ndiaye ») — so « Aëlys » < « Agathe » < « Anaïs » and « Élise » sits with the E;
2. then the accents, letter by letter from the start: none < acute < grave < circumflex <
   diaeresis < cedilla < any other (« cote » < « coté » < « côte » < « côté »);
3. then the case, small letters first (« de » < « De »);
4. then the spaces and punctuation ignored at first (« Delatour » < « De la Tour »);
5. then the text itself, so that the order is total and stable.

The simple, well-known part of the Unicode collation algorithm that French names need, without
PyICU (a C extension with no wheels for every platform); names in other scripts sort by code
point among themselves, after the Latin ones.
"""

import functools
import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS"})
# Combining marks, in the order of French dictionaries: é, è, ê, ë, ç.
ACCENT_RANK = {"\u0301": 1, "\u0300": 2, "\u0302": 3, "\u0308": 4, "\u0327": 5}
OTHER_ACCENT = 10


def _accent(marks: str) -> tuple:
    return tuple(ACCENT_RANK.get(m, OTHER_ACCENT + ord(m)) for m in marks)


def collation_key(text) -> tuple:
    """The key that sorts ``text`` in French order (see the module's docstring)."""
    return _key("" if text is None else str(text))


# The same names are sorted again at each refresh of a séance (30 pupils, two keys each, every
# few seconds): their keys are kept, a few thousand at most (bench/README.md).
@functools.lru_cache(maxsize=4096)
def _key(original: str) -> tuple:
    decomposed = unicodedata.normalize("NFKD", original.translate(LIGATURES))
    letters, accents, cases, ignored = [], [], [], []
    for char in decomposed:
        if unicodedata.combining(char):
            if accents:
                accents[-1] += char
            continue
        if char.isalnum():
            folded = char.casefold()
            letters.append(folded)
            accents.append("")
            cases.append(0 if char == folded else 1)
        else:
            ignored.append((len(letters), char))
    return (
        "".join(letters),
        tuple(_accent(marks) for marks in accents),
        tuple(cases),
        tuple(ignored),
        original,
    )


def name_key(*names) -> tuple:
    """Several names, the first deciding first: ``name_key(last_name, first_name)`` for a class
    list, ``name_key(first_name, last_name)`` for the projector."""
    return tuple(collation_key(name) for name in names)
