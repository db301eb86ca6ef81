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
    UNREADABLE = "unreadable"  # a form, but too blurred or damaged to read
    TOO_DARK = "too_dark"  # scanned far too dark (scanner setting, coloured paper): nothing to read
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
    PageStatus.TOO_DARK: "画像が暗すぎて読み取れません。スキャナーの濃度設定を下げてスキャンし直してください / "
    "the scan is too dark to read: lower the scanner's darkness setting and rescan it",
    PageStatus.FILE_ERROR: "ファイルを開けません（破損・途中で切れたファイル）。スキャンし直してください / "
    "the file cannot be opened (corrupt or truncated): rescan it",
}
AMBIGUOUS_FORM = (
    "複数の様式に同じくらい一致し、どの様式か決められません。テンプレートを確認してください / "
    "the page matches more than one form about equally: check the templates"
)


def rotation_message(rotation: int) -> str:
    """The note on a page that was fed turned (it is read anyway, turned back)."""
    turn = {90: "90° 右", 180: "上下逆", 270: "90° 左"}.get(rotation, f"{rotation}°")
    return (
        f"ページが回転していました（{turn}）。向きを直して読み取りました。原本の向きを確認してください / "
        f"the page was fed turned by {rotation}°; it was read turned back: check the original's orientation"
    )


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
    thumbnail_jpeg: bytes = b""  # small picture of a page that was not read or was turned (review sheet)

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
        message = STATUS_MESSAGES[status]
        if self.rotation:
            message = f"{message}; {rotation_message(self.rotation)}"
        return replace(self, fields=fields, status=status, message=message)

    @property
    def needs_page_review(self) -> bool:
        """A page staff must look at as a whole: not read, or read turned."""
        return not self.status.was_read or self.rotation != 0
