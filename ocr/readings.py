"""What the reader returns: one `PageReading` per page with a `FieldReading` per field."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

Value = str | bool | None


class PageStatus(StrEnum):
    OK = "ok"  # every field read with confidence
    REVIEW = "review"  # read; some fields wait for staff in the review queue
    BLANK = "blank"  # no ink on the page
    UNKNOWN_FORM = "unknown_form"  # not one of the templates (another document, wrong form)
    UNREADABLE = "unreadable"  # a form, but too blurred, dark or damaged to read
    FILE_ERROR = "file_error"  # the file cannot be decoded (truncated, corrupt, unsupported)

    @property
    def was_read(self) -> bool:
        return self in (PageStatus.OK, PageStatus.REVIEW)


STATUS_MESSAGES: dict[PageStatus, str] = {
    PageStatus.OK: "読み取り完了 / read",
    PageStatus.REVIEW: "確認が必要な項目があります / some fields need review",
    PageStatus.BLANK: "白紙のページです。裏面の読み込みや空のページを確認してください / the page is blank",
    PageStatus.UNKNOWN_FORM: "登録された様式ではありません。様式を確認するか、テンプレートを登録してください / "
    "not a registered form: check the document or add its template",
    PageStatus.UNREADABLE: "ぼやけ・汚れで読み取れません。スキャンし直してください / too blurred or damaged to read: rescan it",
    PageStatus.FILE_ERROR: "ファイルを開けません（破損・途中で切れたファイル）。スキャンし直してください / "
    "the file cannot be opened (corrupt or truncated): rescan it",
}


@dataclass(frozen=True)
class FieldReading:
    name: str
    label: str
    kind: str
    value: Value
    confidence: float  # 0..1; above the threshold only when both engines agree and validation passes
    accepted: bool  # False: the field waits in the review queue
    problems: tuple[str, ...] = ()
    candidates: tuple[tuple[str, str], ...] = ()  # (engine, normalised text) for the review sheet
    crop_jpeg: bytes = b""  # the field as scanned
    corrected: bool = False  # True once staff confirmed or corrected it in the review queue


@dataclass(frozen=True)
class PageReading:
    source: str
    page: int  # 0-based page index inside the file
    status: PageStatus
    template_id: str | None = None
    fields: tuple[FieldReading, ...] = ()
    rotation: int = 0  # 180 when the page was fed upside down
    skew_degrees: float = 0.0
    message: str = ""
    seconds: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.source}#{self.page + 1}"

    def values(self) -> dict[str, Value]:
        return {f.name: f.value for f in self.fields}

    def field(self, name: str) -> FieldReading:
        for reading in self.fields:
            if reading.name == name:
                return reading
        raise KeyError(name)

    @property
    def pending(self) -> tuple[FieldReading, ...]:
        return tuple(f for f in self.fields if not f.accepted)

    def with_fields(self, fields: tuple[FieldReading, ...]) -> PageReading:
        status = self.status
        if status.was_read:
            status = PageStatus.REVIEW if any(not f.accepted for f in fields) else PageStatus.OK
        return replace(self, fields=fields, status=status, message=STATUS_MESSAGES[status])
