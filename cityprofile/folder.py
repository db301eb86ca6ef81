"""Resolve a city profile folder: city.toml and the files it names (or the conventional names)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.errors import ProfileError
from matching.profile import CityProfile, load_profile

# The profiles shipped with the project (cities/<slug>/): `bodx … --city hinata` finds them by slug.
BUNDLED_CITIES_DIR = Path(__file__).resolve().parent.parent / "cities"

# Conventional names: a city.toml without [files] uses these.
DEFAULT_FILES: dict[str, str | list[str]] = {
    "rules": "rules.toml",
    "ledger_mappings": ["ledger/*.toml"],
    "form_templates": "forms",
    "robot_recipe": "robot.toml",
    "notices": "notices",
}


@dataclass(frozen=True)
class CityFolder:
    """A city's profile folder with every file resolved to a path (None where the city has none)."""

    root: Path
    profile: CityProfile
    rules: Path
    ledger_mappings: tuple[Path, ...]
    form_templates: Path | None
    robot_recipe: Path | None
    notices: Path | None

    @property
    def city_toml(self) -> Path:
        return self.root / "city.toml"


def resolve_root(ref: str | Path) -> Path:
    """A folder, a city.toml inside one, or the slug of a bundled profile (hinata, kawabe …)."""
    path = Path(ref)
    if path.name == "city.toml":
        path = path.parent
    if (path / "city.toml").is_file():
        return path
    bundled = BUNDLED_CITIES_DIR / str(ref)
    if "/" not in str(ref) and (bundled / "city.toml").is_file():
        return bundled
    known = sorted(p.parent.name for p in BUNDLED_CITIES_DIR.glob("*/city.toml"))
    raise ProfileError(
        f"{ref}: 市のプロファイル (city.toml のあるフォルダ) が見つかりません。同梱: {', '.join(known)} / "
        f"no city profile (a folder with city.toml) at {ref}; bundled: {', '.join(known)}"
    )


def open_city(ref: str | Path) -> CityFolder:
    """Load city.toml strictly and resolve its files; raises ProfileError naming every problem."""
    root = resolve_root(ref)
    profile, files = load_profile(root / "city.toml")
    resolved, problems = resolve_files(root, files)
    if problems:
        raise ProfileError(
            "city.toml の [files] に誤りがあります / city.toml [files] has errors:\n" + "\n".join(problems)
        )
    return CityFolder(root=root, profile=profile, **resolved)


def resolve_files(root: Path, files: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Paths of the profile's files; a file named in [files] that is not there is a problem."""
    problems: list[str] = []
    where = root / "city.toml"

    def one(key: str, want_dir: bool) -> Path | None:
        named = files.get(key)
        raw = named if named is not None else DEFAULT_FILES[key]
        if not isinstance(raw, str):
            problems.append(f"{where}: [files] {key} は文字列で書いてください / {key} must be a string")
            return None
        path = _inside(root, raw, key, problems, where)
        if path is None:
            return None
        exists = path.is_dir() if want_dir else path.is_file()
        if not exists:
            if named is not None or key == "rules":
                problems.append(
                    f"{where}: [files] {key} = {raw!r} がありません ({path}) / {key} not found: {path}"
                )
            return None
        return path

    rules = one("rules", want_dir=False)
    raw_mappings = files.get("ledger_mappings", DEFAULT_FILES["ledger_mappings"])
    mappings: list[Path] = []
    if not isinstance(raw_mappings, list) or not all(isinstance(m, str) for m in raw_mappings):
        problems.append(f"{where}: [files] ledger_mappings は文字列の並びにしてください / must be a list")
    else:
        for pattern in raw_mappings:
            found = (
                sorted(root.glob(pattern))
                if _inside(root, pattern, "ledger_mappings", problems, where)
                else []
            )
            if not found and "ledger_mappings" in files:
                problems.append(
                    f"{where}: [files] ledger_mappings {pattern!r} に当たるファイルがありません / no file"
                )
            mappings.extend(p for p in found if p.is_file())
    resolved = {
        "rules": rules if rules is not None else root / "rules.toml",
        "ledger_mappings": tuple(mappings),
        "form_templates": one("form_templates", want_dir=True),
        "robot_recipe": one("robot_recipe", want_dir=False),
        "notices": one("notices", want_dir=True),
    }
    return resolved, problems


def _inside(root: Path, raw: str, key: str, problems: list[str], where: Path) -> Path | None:
    # A profile is one checked folder: a path that leaves it would make two cities share a file unseen.
    path = (root / raw).resolve()
    if not path.is_relative_to(root.resolve()):
        problems.append(
            f"{where}: [files] {key} = {raw!r} はプロファイルのフォルダの外です / must stay inside the profile folder"
        )
        return None
    return path
