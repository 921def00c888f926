"""Derive regiongap's NUTS package data from Eurostat's official NUTS 2021 workbook.

A maintainer script, not run at import: it reads ``NUTS2021.xlsx`` (Eurostat,
version 1.8 of 26.03.2021) and writes three tidy CSVs to
``src/regiongap/data/nuts/``:

``nuts2021.csv``
    every code of sheet "NUTS & SR 2021": ``geo, region_name, level, country,
    extra_regio, statistical_region`` (Latin names: the workbook's Latin
    transliteration where the official name is Greek or Cyrillic).
``nuts2016.csv``
    every "Code 2016" of sheet "Changes detailed NUTS 2016-2021", same columns.
``nuts_changes_2016_2021.csv``
    every row of that sheet carrying a change code: ``code_2016, code_2021,
    level, country, change_code, change, remark``.
``nuts2021_typologies.csv``
    the NUTS 3 typologies of sheets "Urban-rural", "Metropolitan" and "Coastal":
    ``geo, urbn_type, coast_type, metropolitan, metro_region``, coded as GISCO
    codes ``URBN_TYPE``/``COAST_TYPE`` (urban-rural 1/2/3 as in the workbook;
    the workbook's coastal 0 "non-coastal" becomes GISCO's 3).

Usage::

    .venv/bin/python scripts/derive_nuts_tables.py [path/to/NUTS2021.xlsx]

The default workbook path is ``$REGIONGAP_MIRROR/eurostat/NUTS2021.xlsx``, else
``../shared/data/eurostat/NUTS2021.xlsx`` beside the project.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pandas as pd

PROJECT = Path(__file__).resolve().parents[1]
OUT = PROJECT / "src" / "regiongap" / "data" / "nuts"

SHEET_CODES = "NUTS & SR 2021"
SHEET_CHANGES = "Changes detailed NUTS 2016-2021"
SHEET_URBAN, SHEET_METRO, SHEET_COAST = "Urban-rural", "Metropolitan", "Coastal"
# workbook "COASTAL" → GISCO "COAST_TYPE" (1 on the coast, 2 ≥ 50 % of people
# within 50 km of it, 3 non-coastal); urban-rural uses the same 1/2/3 in both
COASTAL_TO_GISCO = {0: 3, 1: 1, 2: 2}

# Change codes as the workbook's legend on SHEET_CHANGES defines them.
CHANGE_CODES = {
    1: "renamed",
    2: "recoded",
    3: "boundary change, recode",
    4: "boundary change, recode, rename",
    5: "discontinued",
    6: "new",
}

_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def _workbook(argv: list[str]) -> Path:
    if len(argv) > 1:
        return Path(argv[1])
    mirror = os.environ.get("REGIONGAP_MIRROR")
    base = Path(mirror) if mirror else PROJECT.parent / "shared" / "data"
    return base / "eurostat" / "NUTS2021.xlsx"


def _clean(text: object) -> str | None:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    out = re.sub(r"\s+", " ", str(text)).strip()
    return out or None


def _first_name(row: pd.Series, columns: list[str]) -> str | None:
    for column in columns:
        name = _clean(row[column])
        if name is not None:
            return name
    return None


def _flags(frame: pd.DataFrame, sr_start: int) -> pd.DataFrame:
    frame["extra_regio"] = frame["geo"].str.contains(r"^[A-Z]{2}Z{1,3}$")
    frame["statistical_region"] = frame.index >= sr_start
    return frame


def derive_codes_2021(book: Path) -> pd.DataFrame:
    """Return the NUTS 2021 code list (with statistical regions flagged)."""
    raw = pd.read_excel(book, sheet_name=SHEET_CODES, header=0, dtype=object)
    names = ["Country", "NUTS level 1", "NUTS level 2", "NUTS level 3"]
    # Latin transliterations sit beside the official names (columns J..N) for
    # BG, EL, CY, ME, MK, RS: code in column J, names by level in K..N.
    side = raw.iloc[:, 9:14].copy()
    side.columns = ["code", "n0", "n1", "n2", "n3"]
    side["code"] = side["code"].map(_clean)
    side = side[side["code"].fillna("").str.match(_CODE)]
    latin = {
        row["code"]: _first_name(row, ["n0", "n1", "n2", "n3"])
        for _, row in side.iterrows()
    }
    heading = raw["Code 2021"].astype(str).str.startswith("Statistical regions")
    sr_start = int(heading.idxmax()) if heading.any() else len(raw)
    codes = raw[raw["Code 2021"].map(_clean).fillna("").str.match(_CODE)].copy()
    out = pd.DataFrame(
        {
            "geo": codes["Code 2021"].map(_clean),
            "region_name": [
                latin.get(_clean(c)) or _first_name(r, names)
                for c, (_, r) in zip(codes["Code 2021"], codes.iterrows(), strict=True)
            ],
            "level": codes["NUTS level"].astype(int),
            "country": codes["Code 2021"].map(_clean).str[:2],
        },
        index=codes.index,
    )
    out = _flags(out, sr_start)
    _check(out, "NUTS 2021")
    return out.reset_index(drop=True)


def derive_changes(
    book: Path, latin_2021: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (NUTS 2016 code list, tidy change table 2016 → 2021)."""
    raw = pd.read_excel(book, sheet_name=SHEET_CHANGES, header=0, dtype=object)
    raw = raw.rename(columns=lambda c: str(c).split("\n")[0].strip())
    names = ["Country", "NUTS level 1", "NUTS level 2", "NUTS level 3"]
    heading = raw["Code 2016"].astype(str).str.startswith("Statistical regions")
    sr_start = int(heading.idxmax()) if heading.any() else len(raw)
    c16 = raw["Code 2016"].map(_clean)
    c21 = raw["Code 2021"].map(_clean)
    ok16 = c16.fillna("").str.match(_CODE)
    ok21 = c21.fillna("").str.match(_CODE)

    def level_of(code: str) -> int:
        return min(len(code) - 2, 3)

    rows16 = raw[ok16]
    codes16 = pd.DataFrame(
        {
            "geo": c16[ok16],
            # the sheet prints a 2016 name where it differs (in italics) and the
            # 2021 name otherwise; Greek/Cyrillic names get the 2021 Latin
            # transliteration where the code survived unchanged
            "region_name": [
                latin_2021.get(code)
                if code == c21[i] and code in latin_2021
                else _first_name(rows16.loc[i], names)
                for i, code in c16[ok16].items()
            ],
            "level": [level_of(c) for c in c16[ok16]],
            "country": c16[ok16].str[:2],
        },
        index=rows16.index,
    )
    codes16 = _flags(codes16, sr_start)
    _check(codes16, "NUTS 2016")

    changed = raw[raw["Change codes*"].notna() & (ok16 | ok21)]
    changes = pd.DataFrame(
        {
            "code_2016": c16[changed.index],
            "code_2021": c21[changed.index],
            "level": [
                level_of(a if isinstance(a, str) else b)
                for a, b in zip(c16[changed.index], c21[changed.index], strict=True)
            ],
            "country": c16[changed.index].fillna(c21[changed.index]).str[:2],
            "change_code": changed["Change codes*"].astype(int),
            "change": changed["Change codes*"].astype(int).map(CHANGE_CODES),
            "remark": changed["Change comments"].map(_clean),
        }
    )
    unknown = set(changes["change_code"]) - set(CHANGE_CODES)
    if unknown:
        msg = f"unknown change codes {sorted(unknown)} in {SHEET_CHANGES!r}"
        raise SystemExit(msg)
    return codes16.reset_index(drop=True), changes.reset_index(drop=True)


def derive_typologies(book: Path) -> pd.DataFrame:
    """Return the NUTS 3 typologies (urban-rural, metropolitan, coastal)."""
    sheets = pd.read_excel(
        book, sheet_name=[SHEET_URBAN, SHEET_METRO, SHEET_COAST], dtype=object
    )
    urban = sheets[SHEET_URBAN].iloc[:, :2]
    urban.columns = ["geo", "urbn_type"]
    metro = sheets[SHEET_METRO].iloc[:, :3]
    metro.columns = ["geo", "metropolitan", "metro_region"]
    coast = sheets[SHEET_COAST].iloc[:, :2]
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


def _check(frame: pd.DataFrame, what: str) -> None:
    dup = frame["geo"].duplicated(keep=False)
    if dup.any():
        msg = f"{what}: duplicated codes {sorted(frame.loc[dup, 'geo'])}"
        raise SystemExit(msg)
    if frame["region_name"].isna().any():
        nameless = list(frame.loc[frame["region_name"].isna(), "geo"])
        msg = f"{what}: codes without a name {nameless}"
        raise SystemExit(msg)
    bad = frame["level"] != frame["geo"].str.len().sub(2).clip(upper=3)
    if bad.any():
        msg = f"{what}: level disagrees with code length {list(frame.loc[bad, 'geo'])}"
        raise SystemExit(msg)


def main(argv: list[str]) -> int:
    """Write the three CSVs; return the process exit code."""
    book = _workbook(argv)
    codes21 = derive_codes_2021(book)
    latin = dict(zip(codes21["geo"], codes21["region_name"], strict=True))
    codes16, changes = derive_changes(book, latin)
    typologies = derive_typologies(book)
    OUT.mkdir(parents=True, exist_ok=True)
    typologies.to_csv(OUT / "nuts2021_typologies.csv", index=False, lineterminator="\n")
    codes21.to_csv(OUT / "nuts2021.csv", index=False, lineterminator="\n")
    codes16.to_csv(OUT / "nuts2016.csv", index=False, lineterminator="\n")
    changes.to_csv(OUT / "nuts_changes_2016_2021.csv", index=False, lineterminator="\n")
    for name, frame in [
        ("2021", codes21),
        ("2016", codes16),
        ("changes", changes),
        ("typologies", typologies),
    ]:
        sys.stdout.write(f"{name}: {len(frame)} rows\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
