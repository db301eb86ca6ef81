"""The robot's login for the legacy system: Prefect Secret blocks when the server has them, else env.

Secret blocks (`bodx-robot-user`, `bodx-robot-password` for the prefix BODX_ROBOT_) keep the login on the
Prefect server (masked in the UI), so a serving PC needs no password in its environment; the environment
variables (`BODX_ROBOT_USER`, `BODX_ROBOT_PASSWORD`) stay the simple way for one PC. Values never reach a
log or a message: only the names of what is missing.
"""

from __future__ import annotations

from typing import cast

from robots.credentials import Credentials
from robots.errors import RobotsError


def secret_block_names(prefix: str) -> tuple[str, str]:
    """`BODX_ROBOT_` -> ("bodx-robot-user", "bodx-robot-password"): block names allow lowercase and dashes."""
    stem = prefix.strip("_").lower().replace("_", "-")
    return f"{stem}-user", f"{stem}-password"


def _secret(name: str) -> str | None:
    from prefect.blocks.system import Secret

    try:
        block = cast(Secret[str], Secret.load(name))  # sync call in sync code: the block, not a coroutine
    except ValueError:  # no block of that name on the server
        return None
    value = block.get()
    return value if isinstance(value, str) and value else None


def robot_credentials(prefix: str) -> Credentials:
    """Both Secret blocks when the server has them, else `{prefix}USER` / `{prefix}PASSWORD`."""
    user_block, password_block = secret_block_names(prefix)
    user, password = _secret(user_block), _secret(password_block)
    if user and password:
        return Credentials.of(user, password)
    try:
        return Credentials.from_env(prefix)
    except RobotsError as exc:
        raise RobotsError(
            f"ロボットの認証情報がありません。Prefect の Secret ブロック {user_block} と {password_block} を"
            f"作るか、環境変数 {prefix}USER と {prefix}PASSWORD を設定してください / no robot login: create "
            f"the Secret blocks {user_block} and {password_block} or set {prefix}USER and {prefix}PASSWORD"
        ) from exc


def credentials_problem(prefix: str) -> str | None:
    """None when the robot can log in with what the server has; else what to set up."""
    try:
        robot_credentials(prefix)
    except RobotsError as exc:
        return str(exc)
    return None
