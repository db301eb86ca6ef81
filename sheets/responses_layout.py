"""The layout of the responses workbook (回答記録): sheet names, headers, drop-down values, guidance.
Shared by its writer (sheets.responses) and its reader (sheets.responses_read)."""

from __future__ import annotations

from matching.rounds import Answer, Interview

RESPONSES_SHEET, WAITING_SHEET, GUIDE_SHEET = "回答記録", "保留者", "記入方法"
CHILD, ANSWER, INTERVIEW, CANCEL, READMIT, WITHDRAW, NOTE = (
    "児童番号", "回答", "面接", "取消", "再選考", "取下げ", "メモ",
)  # fmt: skip
CANCEL_MARK, READMIT_MARK, WITHDRAW_MARK = "取消", "する", "取下げ"
ROUND_LABEL = "選考回"
HELD_COLUMNS: tuple[tuple[str, float], ...] = (
    (CHILD, 12), ("受付番号", 15), ("氏名", 14), ("年齢クラス", 9), ("施設番号", 10), ("施設名", 20),
    ("内定した回", 10), ("転園元", 10), (ANSWER, 8), (INTERVIEW, 8), (CANCEL, 8), (READMIT, 8), (NOTE, 28),
)  # fmt: skip
WAITING_COLUMNS: tuple[tuple[str, float], ...] = (
    (CHILD, 12), ("受付番号", 15), ("氏名", 14), ("年齢クラス", 9), ("第1希望", 20), (WITHDRAW, 8), (NOTE, 28),
)  # fmt: skip
CHOICES = {
    ANSWER: tuple(a.value for a in Answer),
    INTERVIEW: tuple(i.value for i in Interview),
    CANCEL: (CANCEL_MARK,),
    READMIT: (READMIT_MARK,),
    WITHDRAW: (WITHDRAW_MARK,),
}
PROMPTS = {
    ANSWER: "承諾: 保護者が内定を受けた / 辞退: 内定を辞退した",
    INTERVIEW: "面接・健康診断の結果 (不可: この園を除いて次の回で選考)",
    CANCEL: "取消: 市が内定を取り消した (席は次の回へ)",
    READMIT: "する: 辞退・取消の児童を次の回で選考する (辞退した園は除く)",
    WITHDRAW: "取下げ: 申込が取り下げられた (次の回で選考しない)",
}
GUIDE = (
    "黄色の欄だけ入力できます。選択肢はドロップダウンから選んでください。",
    "回答が空欄の児童は「回答待ち」として席を確保したまま次の回を行います (席は動かず、他の児童にも渡りません)。",
    "承諾の席は次の回でも動きません。転園の児童は承諾したときに元の園の席が空きます。",
    "辞退・取消の席は次の回の空きになります。辞退・取消の児童は「再選考」を「する」にしない限り選考しません。",
    "面接「不可」の児童は、その園を除いた希望で次の回に選考します。",
    "行を削除しないでください。同じ児童を2行にしないでください。",
)
