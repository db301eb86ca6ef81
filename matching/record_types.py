"""The closed vocabularies and small value types the domain records are built from.

Kept apart from `matching.records` so that module stays about the records themselves. Everything here is
re-exported there: import from `matching.records`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class ReasonKind(StrEnum):
    """保育の必要性の事由 (the reason a guardian cannot look after the child).

    Cities name their reasons in their own words; a city profile maps its labels onto these kinds and
    keeps its own sub-levels in `Reason.level`.
    """

    WORK = "就労"
    PREGNANCY = "出産"
    ILLNESS = "疾病"
    DISABILITY = "障害"
    CARE = "介護"
    DISASTER = "災害"
    JOB_SEARCH = "求職"
    STUDY = "就学"
    PARENTAL_LEAVE = "育休"  # 育児休業中で、在園児の継続利用などが認められる場合
    STARTUP = "起業準備"
    ABUSE_DV = "虐待・DV"  # never written into logs or reports: sensitive
    ABSENT = "不存在"  # 死亡・離別・行方不明: the guardian does not exist for this household
    OTHER = "その他"


class WorkStyle(StrEnum):
    """就労の形態: cities score these differently."""

    EMPLOYED = "外勤"
    SELF_EMPLOYED = "自営"
    FAMILY_HELPER = "自営協力者"
    HOME_PIECEWORK = "内職"


class AdjustmentFlag(StrEnum):
    """Household facts that 調整指数 rules add or subtract points for, known to every city.

    What only some cities score is not listed here: a city declares it as a fact in its profile
    (`[[facts]]` in city.toml) and the records carry it in `facts`.
    """

    SINGLE_PARENT = "ひとり親"
    WELFARE = "生活保護"
    PARENTAL_LEAVE_RETURN = "育休復帰"
    UNLICENSED_CARE = "認可外利用中"
    MULTIPLE_BIRTH = "多胎児"
    GRANDPARENT_AT_HOME = "祖父母同居"
    FEE_ARREARS = "保育料滞納"
    GUARDIAN_DISABILITY_HANDBOOK = "障害者手帳"
    CHILD_DISABILITY = "児童障害"
    FOSTER = "里親"
    DV = "DV"  # never written into logs or reports: sensitive


class Sex(StrEnum):
    MALE = "男"
    FEMALE = "女"


class GuardianRole(StrEnum):
    """What a rules table needs of 続柄: 出産 is the mother's, 生計中心者 often the father's."""

    FATHER = "父"
    MOTHER = "母"
    OTHER = "その他"
    UNKNOWN = "不明"


_FATHER_WORDS = ("父", "実父", "養父", "継父", "夫")
_MOTHER_WORDS = ("母", "実母", "養母", "継母", "妻")


def role_of(relation: str | None) -> GuardianRole:
    """The role a free 続柄 text stands for (祖母 is OTHER: a grandmother is not the 母 of a table)."""
    text = unicodedata.normalize("NFKC", relation or "").strip()
    if not text or text in ("不明", "?", "？"):
        return GuardianRole.UNKNOWN
    if text in _FATHER_WORDS:
        return GuardianRole.FATHER
    if text in _MOTHER_WORDS:
        return GuardianRole.MOTHER
    return GuardianRole.OTHER


class SiblingCondition(StrEnum):
    """きょうだい同時申込の条件 (the seven a city records per sibling application).

    同保 = at most one newly assigned nursery this round, 別保 = several allowed; 同時 = all enter this
    round together, 順次 = some may enter now and the rest later (上: the first to enter includes the
    eldest, 下: the youngest); for 別保, 同 = all in one nursery is preferred over a split, 希 = each
    child's own preference order comes first.
    """

    SAME_TOGETHER = "同保同時"
    SAME_SEQUENTIAL_ELDEST = "同保順次上"
    SAME_SEQUENTIAL_YOUNGEST = "同保順次下"
    SPLIT_TOGETHER_SAME_FIRST = "別保同時同"
    SPLIT_TOGETHER_OWN_FIRST = "別保同時希"
    SPLIT_SEQUENTIAL_SAME_FIRST = "別保順次同"
    SPLIT_SEQUENTIAL_OWN_FIRST = "別保順次希"

    @property
    def allows_split(self) -> bool:
        """True when the children may end up in different nurseries."""
        return self.value.startswith("別保")


# The two conditions the project knew before: an old file's allow_split loads as one of them.
CONDITION_OF_ALLOW_SPLIT = {
    False: SiblingCondition.SAME_TOGETHER,
    True: SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST,
}


_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$")
_PHONE_DIGITS = re.compile(r"^0\d{9,10}$")


def normalise_postal_code(value: Any) -> Any:
    """〒123-4567, 1234567, １２３－４５６７ → "123-4567"; anything else is left for the pattern to refuse."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).replace("〒", "").replace("ー", "-").replace("−", "-").strip()
    found = _POSTAL.match(text)
    return f"{found.group(1)}-{found.group(2)}" if found else text


def normalise_phone(value: Any) -> Any:
    """Digits only, the national form: +81 90-1234-5678 → 09012345678, (03)1234-5678 → 0312345678."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+81") or (text.startswith("81") and len(digits) in (11, 12)):
        digits = "0" + digits[2:]
    return digits


PostalCode = Annotated[
    str,
    BeforeValidator(normalise_postal_code),
    Field(pattern=r"^\d{3}-\d{4}$", description="郵便番号 NNN-NNNN"),
]
PhoneNumber = Annotated[
    str,
    BeforeValidator(normalise_phone),
    Field(pattern=_PHONE_DIGITS.pattern, description="電話番号: 0から始まる10〜11桁の数字"),
]

# A city-declared fact's value (the declaration in city.toml says which type and level it has).
FactValue = bool | int | dt.date | str
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _facts_from_json(value: Any) -> Any:
    # JSON has no date type: a fact written as "2027-04-01" comes back as that date, so a record
    # survives a JSON round trip unchanged. A text fact never has exactly this shape in practice; if
    # one did, the profile's declaration (type = "text") turns it back into text.
    if isinstance(value, dict):
        return {
            key: dt.date.fromisoformat(item) if isinstance(item, str) and _ISO_DATE.match(item) else item
            for key, item in value.items()
        }
    return value


Facts = Annotated[dict[str, FactValue], BeforeValidator(_facts_from_json)]


class Origin(_Record):
    """Where a record came from, so every issue, review row and notice can point back to the source.

    `fields` maps a field path ("children.0.birth_date", "household.guardians.1.reasons.0") to the cell
    ("D12") or the form field name it was read from.
    """

    file: str = Field(min_length=1)
    sheet: str | None = None
    rows: tuple[int, ...] = ()
    page: int | None = Field(default=None, ge=1)
    fields: dict[str, str] = Field(default_factory=dict)

    def locate(self, field_path: str | None = None) -> str:
        """A place staff can find: "ledger.xlsx 申込一覧!D12" or "scan_0003.png p.1 child_birth"."""
        where = self.file
        if self.sheet:
            where += f" {self.sheet}"
        cell = self.fields.get(field_path) if field_path else None
        if self.page is not None:
            where += f" p.{self.page}"
            return f"{where} {cell}" if cell else where
        if cell:
            return f"{where}!{cell}"
        if self.rows:
            return f"{where} 行{','.join(str(r) for r in self.rows)}"
        return where
