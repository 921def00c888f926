"""Derive regiongap's NUTS package data from Eurostat's official NUTS workbooks.

A maintainer script, not run at import. It reads three official workbooks from one
folder and writes tidy CSVs to ``src/regiongap/data/nuts/`` (byte-reproducibly: run
it twice, get the same bytes):

``NUTS2013-NUTS2016.xlsx``
    Eurostat's NUTS 2013 → NUTS 2016 correspondence (change log 2019-07-30):
    sheet "NUTS2013-NUTS2016" (both code lists, EU-28 only, and each code's change)
    and "Correspondence NUTS-1/2/3" (the changes with "Explanation (new = old)").
``NUTS2021.xlsx``
    the NUTS 2021 classification, version 1.8 of 26.03.2021: sheets
    "NUTS & SR 2021", "Changes detailed NUTS 2016-2021", "Changes NUTS-1/2/3",
    and the typologies "Urban-rural", "Metropolitan", "Coastal".
``NUTS2021-NUTS2024.xlsx``
    the NUTS 2024 classification (Eurostat, 2023-12-19): sheets "NUTS2024",
    "Statistical Regions", "NUTS2021- NUTS2024", "SR2021- SR2024",
    "Changes NUTS-1/2/3" and "Cyrillic & Greek to Latin".

Written files:

``nuts2013.csv``, ``nuts2016.csv``, ``nuts2021.csv``, ``nuts2024.csv``
    every code of the version: ``geo, region_name, level, country, extra_regio,
    statistical_region`` (Latin names).
``nuts_changes.csv``
    every change between consecutive versions: ``from_nuts_year, to_nuts_year,
    code_from, code_to, level, country, change, parts, overlaps, official``
    (``nuts_algebra.py`` explains how merges and splits are derived).
``nuts2021_typologies.csv``
    the NUTS 3 typologies (urban-rural, metropolitan, coastal) as GISCO codes.

Usage::

    .venv/bin/python scripts/derive_nuts_tables.py [folder with the workbooks]

The default folder is ``$REGIONGAP_MIRROR/eurostat``, else
``../shared/data/eurostat`` beside the project. A workbook that lacks a sheet stops
the script with a message naming the file, the sheet and the sheets it has.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nuts_algebra import SAME, Step, Version, parse_formulas

PROJECT = Path(__file__).resolve().parents[1]
OUT = PROJECT / "src" / "regiongap" / "data" / "nuts"

BOOK_2013 = "NUTS2013-NUTS2016.xlsx"
BOOK_2021 = "NUTS2021.xlsx"
BOOK_2024 = "NUTS2021-NUTS2024.xlsx"

SHEET_CODES = "NUTS & SR 2021"
SHEET_CHANGES = "Changes detailed NUTS 2016-2021"
SHEET_URBAN, SHEET_METRO, SHEET_COAST = "Urban-rural", "Metropolitan", "Coastal"
# workbook "COASTAL" → GISCO "COAST_TYPE" (1 on the coast, 2 ≥ 50 % of people
# within 50 km of it, 3 non-coastal); urban-rural uses the same 1/2/3 in both
COASTAL_TO_GISCO = {0: 3, 1: 1, 2: 2}

#: The NUTS 2021 workbook's change codes (its legend on SHEET_CHANGES).
CHANGE_CODES = {
    1: "renamed",
    2: "recoded",
    3: "boundary change, recode",
    4: "boundary change, recode, rename",
    5: "discontinued",
    6: "new",
}
_KIND_2021 = {
    1: "renamed",
    2: "recoded",
    3: "boundary_shift",
    4: "boundary_shift",
    5: "discontinued",
    6: "new",
}
_KIND_2024 = {
    "Name change": "renamed",
    "Code change": "recoded",
    "art. 5(2a)": "minor_shift",
    "Boundary shift": "boundary_shift",
    "Merged": "discontinued",
    "Split": "discontinued",
    "New region": "new",
}

#: Eurostat's published region counts (extra-regio excluded), levels 0–3.
OFFICIAL_COUNTS = {
    2013: ("EU28", (28, 98, 276, 1342)),
    2016: ("EU28", (28, 104, 281, 1348)),
    2021: ("EU27", (27, 92, 242, 1166)),
    2024: ("EU27", (27, 92, 244, 1165)),
}
EU27 = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]
COLUMNS = [
    "geo",
    "region_name",
    "level",
    "country",
    "extra_regio",
    "statistical_region",
]
CHANGE_COLUMNS = [
    "from_nuts_year",
    "to_nuts_year",
    "code_from",
    "code_to",
    "level",
    "country",
    "change",
    "parts",
    "overlaps",
    "official",
]

_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_NOT_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")  # Greek, Cyrillic
NAMES = ["Country", "NUTS level 1", "NUTS level 2", "NUTS level 3"]


# ------------------------------------------------------------------ reading
def read_sheet(book: Path, sheet: str, **kwargs: object) -> pd.DataFrame:
    """Return *sheet* of *book*; stop naming the file and its sheets if it lacks it."""
    with pd.ExcelFile(book) as excel:
        if sheet not in excel.sheet_names:
            msg = (
                f"{book.name}: no sheet {sheet!r}; the workbook has sheets "
                f"{excel.sheet_names}"
            )
            raise SystemExit(msg)
        frame = pd.read_excel(excel, sheet_name=sheet, dtype=object, **kwargs)
    frame.columns = [str(c).split("\n")[0].strip() for c in frame.columns]
    return frame


def _folder(argv: list[str]) -> Path:
    if len(argv) > 1:
        return Path(argv[1])
    mirror = os.environ.get("REGIONGAP_MIRROR")
    base = Path(mirror) if mirror else PROJECT.parent / "shared" / "data"
    return base / "eurostat"


def _clean(text: object) -> str | None:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    out = re.sub(r"\s+", " ", str(text)).strip()
    return out or None


def _code(text: object) -> str | None:
    code = _clean(text)
    return code if code is not None and _CODE.match(code) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _texts(column: pd.Series) -> list[str]:
    return [t for t in (_clean(cell) for cell in column) if t is not None]


def _first_name(row: pd.Series, columns: list[str]) -> str | None:
    for column in columns:
        name = _clean(row[column])
        if name is not None:
            return name
    return None


def _level_of(code: str) -> int:
    return min(len(code) - 2, 3)


def _frame(rows: list[tuple[str, str | None]], sr: list[bool]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["geo", "region_name"])
    out["level"] = out["geo"].map(_level_of)
    out["country"] = out["geo"].str[:2]
    out["extra_regio"] = out["geo"].str.contains(r"^[A-Z]{2}Z{1,3}$")
    out["statistical_region"] = sr
    return out


def _check(frame: pd.DataFrame, what: str) -> None:
    dup = frame["geo"].duplicated(keep=False)
    if dup.any():
        msg = f"{what}: duplicated codes {sorted(frame.loc[dup, 'geo'])}"
        raise SystemExit(msg)
    if frame["region_name"].isna().any():
        nameless = list(frame.loc[frame["region_name"].isna(), "geo"])
        msg = f"{what}: codes without a name {nameless}"
        raise SystemExit(msg)
    foreign = frame["region_name"].str.contains(_NOT_LATIN)
    if foreign.any():
        msg = f"{what}: names not in Latin script {list(frame.loc[foreign, 'geo'])}"
        raise SystemExit(msg)


# ------------------------------------------------------------------ NUTS 2021 book
def derive_codes_2021(book: Path) -> pd.DataFrame:
    """Return the NUTS 2021 code list (statistical regions flagged)."""
    raw = read_sheet(book, SHEET_CODES, header=0)
    # Latin transliterations sit beside the official names (columns J..N) for
    # BG, EL, CY, ME, MK, RS: code in column J, names by level in K..N.
    side = raw.iloc[:, 9:14].copy()
    side.columns = ["code", "n0", "n1", "n2", "n3"]
    side["code"] = side["code"].map(_code)
    latin = {
        row["code"]: _first_name(row, ["n0", "n1", "n2", "n3"])
        for _, row in side[side["code"].notna()].iterrows()
    }
    heading = raw["Code 2021"].astype(str).str.startswith("Statistical regions")
    sr_start = int(heading.idxmax()) if heading.any() else len(raw)
    codes = raw[raw["Code 2021"].map(_code).notna()]
    rows = [
        (_code(c), latin.get(_code(c)) or _first_name(r, NAMES))
        for c, (_, r) in zip(codes["Code 2021"], codes.iterrows(), strict=True)
    ]
    out = _frame(rows, [i >= sr_start for i in codes.index])  # type: ignore[misc]
    if (out["level"].to_numpy() != codes["NUTS level"].astype(int).to_numpy()).any():
        msg = "NUTS 2021: the column 'NUTS level' disagrees with code lengths"
        raise SystemExit(msg)
    _check(out, "NUTS 2021")
    return out


def derive_changes_2021(
    book: Path, latin_2021: dict[str, str]
) -> tuple[pd.DataFrame, list[dict[str, object]], list[str]]:
    """Return (NUTS 2016 code list, official changes 2016 → 2021, formula texts)."""
    raw = read_sheet(book, SHEET_CHANGES, header=0)
    heading = raw["Code 2016"].astype(str).str.startswith("Statistical regions")
    sr_start = int(heading.idxmax()) if heading.any() else len(raw)
    c16, c21 = raw["Code 2016"].map(_code), raw["Code 2021"].map(_code)
    rows16 = raw[c16.notna()]
    # the sheet prints a 2016 name where it differs (in italics) and the 2021 name
    # otherwise; Greek/Cyrillic names get the 2021 Latin transliteration where the
    # code survived unchanged
    codes16 = _frame(
        [
            (
                code,
                latin_2021[code]
                if code == c21[i] and code in latin_2021
                else _first_name(rows16.loc[i], NAMES),
            )
            for i, code in c16[c16.notna()].items()
        ],
        [i >= sr_start for i in rows16.index],  # type: ignore[operator]
    )
    changed = raw[raw["Change codes*"].notna()]
    official = []
    for i, row in changed.iterrows():
        kind = int(row["Change codes*"])
        if kind not in CHANGE_CODES:
            msg = f"unknown change code {kind} in {SHEET_CHANGES!r}"
            raise SystemExit(msg)
        comment = _clean(row["Change comments"])
        text = CHANGE_CODES[kind] + (f" ({comment})" if comment else "")
        official.append(
            {
                "code_from": _str(c16[i]),
                "code_to": _str(c21[i]),
                "kind": _KIND_2021[kind],
                "text": text,
            }
        )
    formulas = _explanations(book, "Change", "Explanation (new = old)")
    return codes16, official, formulas


def _explanations(book: Path, change: str, column: str) -> list[str]:
    texts = []
    for level in (1, 2, 3):
        sheet = read_sheet(book, f"Changes NUTS-{level}", header=0)
        if column not in sheet.columns or change not in sheet.columns:
            msg = f"{book.name}: sheet 'Changes NUTS-{level}' lacks column {column!r}"
            raise SystemExit(msg)
        texts += _texts(sheet[column])
    return texts


def derive_typologies(book: Path) -> pd.DataFrame:
    """Return the NUTS 3 typologies (urban-rural, metropolitan, coastal)."""
    urban = read_sheet(book, SHEET_URBAN).iloc[:, :2]
    urban.columns = ["geo", "urbn_type"]
    metro = read_sheet(book, SHEET_METRO).iloc[:, :3]
    metro.columns = ["geo", "metropolitan", "metro_region"]
    coast = read_sheet(book, SHEET_COAST).iloc[:, :2]
    coast.columns = ["geo", "coastal"]
    out = urban.merge(metro, on="geo", validate="1:1").merge(
        coast, on="geo", validate="1:1"
    )
    if not set(out["metropolitan"]) <= {"Y", "N"}:
        msg = f"unexpected METRO values {sorted(set(out['metropolitan']))}"
        raise SystemExit(msg)
    unknown = set(out["coastal"]) - set(COASTAL_TO_GISCO)
    if unknown or not set(out["urbn_type"]) <= {1, 2, 3}:
        msg = f"unexpected typology codes {sorted(unknown)}"
        raise SystemExit(msg)
    out["geo"] = out["geo"].map(_clean)
    out["urbn_type"] = out["urbn_type"].astype(int)
    out["coast_type"] = out["coastal"].astype(int).map(COASTAL_TO_GISCO)
    out["metropolitan"] = out["metropolitan"] == "Y"
    out["metro_region"] = out["metro_region"].map(_clean)
    return out[["geo", "urbn_type", "coast_type", "metropolitan", "metro_region"]]


# ------------------------------------------------------------------ NUTS 2013 book
def _kind_2013(text: str) -> str:
    low = text.lower()
    if low.startswith(("recoded", "relabelled and recoded")):
        return "recoded"
    if low.startswith("relabelled"):
        return "renamed"
    if "boundary" in low:
        return "boundary_shift"
    if low.startswith(("discontinued", "split into")):
        return "discontinued"
    if low.startswith("new"):
        return "new"
    msg = f"{BOOK_2013}: unknown change {text!r}"
    raise SystemExit(msg)


def derive_2013(
    book: Path, latin_2016: dict[str, str]
) -> tuple[pd.DataFrame, set[str], list[dict[str, object]], list[str]]:
    """Return (NUTS 2013 list, its NUTS 2016 codes, official changes, formulas)."""
    raw = read_sheet(book, "NUTS2013-NUTS2016", header=1)
    c13, c16 = raw["Code 2013"].map(_code), raw["Code 2016"].map(_code)
    rows, seen = [], set()
    # in NUTS 2013's own order (the workbook's column "NUTS 2013" sorts it)
    order = pd.to_numeric(raw["NUTS 2013"], errors="coerce")
    for i, code in c13[c13.notna()].loc[order[c13.notna()].sort_values().index].items():
        if code in seen:  # FR7 is listed twice: recoded to FRK, and discontinued
            continue
        seen.add(code)
        name = _first_name(raw.loc[i], NAMES)
        if name is not None and _NOT_LATIN.search(name):
            # Greek/Cyrillic: the Latin name NUTS 2016 gives the same code
            name = latin_2016.get(code, name)
        if int(raw.loc[i, "level"]) != _level_of(code):
            msg = f"{BOOK_2013}: level of {code} disagrees with its length"
            raise SystemExit(msg)
        rows.append((code, name))
    codes13 = _frame(rows, [False] * len(rows))
    official = [
        {
            "code_from": _str(c13[i]),
            "code_to": _str(c16[i]),
            "kind": _kind_2013(str(text)),
            "text": _clean(text),
        }
        for i, text in raw["Change"].items()
        if _clean(text)
    ]
    formulas = []
    for level in (1, 2, 3):
        sheet = read_sheet(book, f"Correspondence NUTS-{level}", header=0)
        formulas += _texts(sheet["Explanation (new = old)"])
    return codes13, set(c16.dropna()), official, formulas


# ------------------------------------------------------------------ NUTS 2024 book
def derive_2024(
    book: Path, names_2021: dict[str, str]
) -> tuple[pd.DataFrame, set[str], list[dict[str, object]], list[str]]:
    """Return (NUTS 2024 list, its NUTS 2021 codes, official changes, formulas)."""
    latin = read_sheet(book, "Cyrillic & Greek to Latin", header=0)
    latin = dict(
        zip(
            latin["Code"].map(_code),
            latin["Transliteration to Latin"].map(_clean),
            strict=True,
        )
    )
    nuts = read_sheet(book, "NUTS2024", header=0)
    nuts = nuts[nuts["NUTS Code"].map(_code).notna()]
    sr = read_sheet(book, "Statistical Regions", header=0)
    sr = sr[sr["SR Code"].map(_code).notna()]
    rows: list[tuple[str, str | None]] = []
    flags: list[bool] = []
    for table, code_col, name_col, is_sr in (
        (nuts, "NUTS Code", "NUTS label", False),
        (sr, "SR Code", "Territorial level", True),
    ):
        for country, part in table.groupby("Country code", sort=False):
            codes = part[code_col].map(_code).tolist()
            names = [
                latin.get(c) or _clean(n)
                for c, n in zip(codes, part[name_col], strict=True)
            ]
            # the workbook lists no country rows: the country keeps its NUTS 2021
            # name (Kosovo, new, takes the name of its one NUTS 1 region)
            rows.append((str(country), names_2021.get(str(country), names[0])))
            rows += list(zip(codes, names, strict=True))
            flags += [is_sr] * (len(codes) + 1)
    codes24 = _frame(rows, flags)
    _check(codes24, "NUTS 2024")
    official, codes21 = [], set()
    detail = _details_2024(book)
    for sheet in ("NUTS2021- NUTS2024", "SR2021- SR2024"):
        raw = read_sheet(book, sheet, header=0)
        c21, c24 = raw["Code 2021"].map(_code), raw["Code 2024"].map(_code)
        codes21 |= set(c21.dropna())
        for i, cell in raw["Change"].items():
            text = _clean(cell)
            if text is None:
                continue
            if text not in _KIND_2024:
                msg = f"{book.name} {sheet!r}: unknown change {text!r}"
                raise SystemExit(msg)
            old, new = _str(c21[i]), _str(c24[i])
            more = detail.get(str(old or new))
            official.append(
                {
                    "code_from": old,
                    "code_to": new,
                    "kind": _KIND_2024[text],
                    "text": text + (f": {more}" if more else ""),
                }
            )
    codes21 |= {c[:2] for c in codes21}  # the SR sheet lists no country rows
    # a country the new version drops (the UK) has no row per code: its line of
    # sheet "Changes overview" says why
    overview = read_sheet(book, "Changes overview", header=0)
    for country, text in zip(overview["Country"], overview["NUTS 1"], strict=True):
        words = _clean(text)
        if words and _str(country) and not set(codes24["country"]) & {country}:
            official.append(
                {
                    "code_from": country,
                    "code_to": None,
                    "kind": "discontinued",
                    "text": words,
                }
            )
    return (
        codes24,
        codes21,
        official,
        _explanations(book, "Change", "Explanation (new = old)"),
    )


def _details_2024(book: Path) -> dict[str, str]:
    out = {}
    for level in (2, 3):
        sheet = read_sheet(book, f"Changes NUTS-{level}", header=0)
        for old, new, cell in zip(
            sheet["Code 2021"].map(_code),
            sheet["Code 2024"].map(_code),
            sheet["Change"],
            strict=True,
        ):
            text, code = _clean(cell), _str(old) or _str(new)
            if text and code and code not in out:
                out[code] = text
    return out


# ------------------------------------------------------------------ changes
def _same_territory(
    a: pd.DataFrame, b: pd.DataFrame, official: list[dict[str, object]]
) -> tuple[dict[str, str], dict[str, str]]:
    """Return the same-territory map a → b and the boundary-shift partners."""
    same = {
        str(r["code_from"]): str(r["code_to"])
        for r in official
        if r["kind"] in SAME and r["code_from"] and r["code_to"]
    }
    territorial = {
        str(r[k])
        for r in official
        for k in ("code_from", "code_to")
        if r["kind"] not in SAME and r[k]
    }
    for code in set(a["geo"]) & set(b["geo"]):
        if code not in territorial and code not in same:
            same[code] = code
    partner = {
        str(r["code_from"]): str(r["code_to"])
        for r in official
        if r["kind"] == "boundary_shift" and r["code_from"] and r["code_to"]
    }
    # NUTS 2024 lists the old and the new region of a boundary shift on two rows:
    # pair them by name within a country and level
    old = {r["code_from"] for r in official if r["kind"] == "boundary_shift"} - set(
        partner
    )
    new = {r["code_to"] for r in official if r["kind"] == "new"}
    name_a = a.set_index("geo")["region_name"]
    by_name = {(c[:2], len(c), name_a[c]): c for c in old if c in name_a.index}
    for code in b.loc[b["geo"].isin(new), ["geo", "region_name"]].itertuples():
        key = (code.geo[:2], len(code.geo), code.region_name)
        if key in by_name:
            partner[by_name.pop(key)] = code.geo
    return same, partner


def derive_step(
    years: tuple[int, int],
    lists: tuple[pd.DataFrame, pd.DataFrame],
    official: list[dict[str, object]],
    texts: list[str],
) -> tuple[pd.DataFrame, Step]:
    """Return the change rows of one step (and its algebra, for the report)."""
    a, b = lists
    covered = set(a["country"]) | {
        str(r["code_from"] or r["code_to"])[:2] for r in official
    }
    b = b[b["country"].isin(covered)]
    same, partner = _same_territory(a, b, official)
    step = Step(
        Version("a", a["geo"].tolist()),
        Version("b", b["geo"].tolist()),
        same,
        parse_formulas(texts),
    )
    step.build()
    partner.update(step.demoted)
    for code in step.demoted:  # same code, but land added (NUTS 2021's Svalbard)
        land = ", ".join(step.added_land(code))
        official.append(
            {
                "code_from": code,
                "code_to": code,
                "kind": "boundary_shift",
                "text": f"same code; NUTS {years[1]} adds {land}",
            }
        )
    # a code listed twice (FR7: recoded to FRK, and discontinued): the
    # same-territory row is the one that describes it
    by_a: dict[object, dict[str, object]] = {}
    for r in official:
        if r["code_from"] and (r["code_from"] not in by_a or r["kind"] in SAME):
            by_a[r["code_from"]] = r
    for code in a.loc[~a["country"].isin(set(b["country"])), "geo"]:
        if code not in by_a and code[:2] in by_a:
            by_a[code] = by_a[code[:2]]
    text_b = {r["code_to"]: r["text"] for r in official if r["code_to"]}
    rows = [_row_a(step, code, partner, by_a.get(code, {})) for code in step.a.codes]
    inverse = set(same.values())
    rows += [
        _row_b(step, code, text_b.get(code))
        for code in step.b.codes
        if code not in inverse
    ]
    out = pd.DataFrame([r for r in rows if r is not None])
    out.insert(0, "to_nuts_year", years[1])
    out.insert(0, "from_nuts_year", years[0])
    return out[CHANGE_COLUMNS], step


def _row_a(
    step: Step, code: str, partner: dict[str, str], official: dict[str, object]
) -> dict[str, object] | None:
    text = str(official.get("text") or "")
    if code in step.same:
        target = step.same[code]
        kind = official.get("kind")
        if kind not in SAME:
            if target == code:
                return None  # unchanged
            kind = "recoded"
        return _row(code, target, str(kind), [], [], text)
    parts = step.decompose("a", code)
    change = (
        "boundary_shift"
        if code in partner
        else ("split" if len(parts) > 1 else "discontinued")
    )
    return _row(
        code, partner.get(code, ""), change, parts, step.overlaps("a", code), text
    )


def _row_b(step: Step, code: str, text: object) -> dict[str, object]:
    parts = step.decompose("b", code)
    return _row(
        "",
        code,
        "merged" if len(parts) > 1 else "new",
        parts,
        step.overlaps("b", code),
        str(text) if text else "",
    )


def _row(
    code_from: str,
    code_to: str,
    change: str,
    parts: list[str],
    overlaps: list[str],
    official: str,
) -> dict[str, object]:
    code = code_from or code_to
    return {
        "code_from": code_from,
        "code_to": code_to,
        "level": _level_of(code),
        "country": code[:2],
        "change": change,
        "parts": "+".join(parts),
        "overlaps": " ".join(overlaps),
        "official": official,
    }


# ------------------------------------------------------------------ checks, main
def check_counts(lists: dict[int, pd.DataFrame]) -> None:
    """Stop unless each version has Eurostat's published region counts."""
    for year, (group, expected) in OFFICIAL_COUNTS.items():
        countries = [*EU27, "UK"] if group == "EU28" else EU27
        table = lists[year]
        table = table[table["country"].isin(countries) & ~table["extra_regio"]]
        got = tuple(int((table["level"] == lvl).sum()) for lvl in range(4))
        if got != expected:
            msg = f"NUTS {year} {group}: counts {got} differ from Eurostat's {expected}"
            raise SystemExit(msg)


def main(argv: list[str]) -> int:
    """Write the CSVs; return the process exit code."""
    folder = _folder(argv)
    codes21 = derive_codes_2021(folder / BOOK_2021)
    latin21 = dict(zip(codes21["geo"], codes21["region_name"], strict=True))
    codes16, changes21, texts21 = derive_changes_2021(folder / BOOK_2021, latin21)
    _check(codes16, "NUTS 2016")
    latin16 = dict(zip(codes16["geo"], codes16["region_name"], strict=True))
    codes13, in16, changes16, texts16 = derive_2013(folder / BOOK_2013, latin16)
    _check(codes13, "NUTS 2013")
    codes24, in21, changes24, texts24 = derive_2024(folder / BOOK_2024, latin21)
    _cross_check(in16, codes16, "NUTS 2016", BOOK_2013)
    _cross_check(in21, codes21[codes21["country"] != "UK"], "NUTS 2021", BOOK_2024)
    lists = {2013: codes13, 2016: codes16, 2021: codes21, 2024: codes24}
    check_counts(lists)
    steps = [
        ((2013, 2016), changes16, texts16),
        ((2016, 2021), changes21, texts21),
        ((2021, 2024), changes24, texts24),
    ]
    frames = []
    for years, official, texts in steps:
        rows, step = derive_step(
            years, (lists[years[0]], lists[years[1]]), official, texts
        )
        frames.append(rows)
        sys.stdout.write(
            f"{years[0]} → {years[1]}: {len(rows)} changes, "
            f"{rows['change'].value_counts().sort_index().to_dict()}, "
            f"{len(step.used_formulas)} official formulas used\n"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    for year, table in lists.items():
        table[COLUMNS].to_csv(OUT / f"nuts{year}.csv", index=False, lineterminator="\n")
        sys.stdout.write(f"nuts{year}.csv: {len(table)} codes\n")
    changes = pd.concat(frames, ignore_index=True)
    changes.to_csv(OUT / "nuts_changes.csv", index=False, lineterminator="\n")
    typologies = derive_typologies(folder / BOOK_2021)
    typologies.to_csv(OUT / "nuts2021_typologies.csv", index=False, lineterminator="\n")
    return 0


def _cross_check(codes: set[str], table: pd.DataFrame, what: str, book: str) -> None:
    mine = set(table.loc[table["country"].isin({c[:2] for c in codes}), "geo"])
    if codes != mine:
        msg = (
            f"{what} codes in {book} differ from the NUTS 2021 workbook's: "
            f"{sorted(codes ^ mine)[:20]}"
        )
        raise SystemExit(msg)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
