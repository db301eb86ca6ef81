"""What a season takes from the city profile when the start form leaves a field empty."""

from __future__ import annotations

from cityprofile import CityFolder
from flows.errors import StepInputError
from flows.params import LedgerSource, SeasonLedger

# The sample legacy system's recipe: used when a city profile has no robot.toml of its own.
FALLBACK_RECIPE = "legacy-classic"


def ledger_sources(ledgers: tuple[SeasonLedger, ...], city: CityFolder) -> tuple[LedgerSource, ...]:
    """Each ledger with its mapping: the one given, else the profile's (which must then be unique)."""
    sources = []
    for item in ledgers:
        mapping = item.mapping
        if mapping is None:
            if len(city.ledger_mappings) != 1:
                raise StepInputError(
                    f"{item.ledger.name}: 列の対応表を指定してください (プロファイル {city.profile.name} の対応表は "
                    f"{len(city.ledger_mappings)} 個) / name the mapping: the profile has "
                    f"{len(city.ledger_mappings)} ledger mappings"
                )
            mapping = city.ledger_mappings[0]
        sources.append(LedgerSource(ledger=item.ledger, mapping=mapping))
    return tuple(sources)


def default_recipe(city: CityFolder) -> str:
    return str(city.robot_recipe) if city.robot_recipe is not None else FALLBACK_RECIPE
