"""Login credentials: a typed object, never a plain string that could end up in a log line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from pydantic import SecretStr

from robots.errors import RobotsError

DEFAULT_ENV_PREFIX = "BODX_ROBOT_"


@dataclass(frozen=True)
class Credentials:
    user: SecretStr = field(repr=False)
    password: SecretStr = field(repr=False)

    def __repr__(self) -> str:
        return "Credentials(user=***, password=***)"

    __str__ = __repr__

    @classmethod
    def of(cls, user: str, password: str) -> Credentials:
        return cls(SecretStr(user), SecretStr(password))

    @classmethod
    def from_env(cls, prefix: str = DEFAULT_ENV_PREFIX) -> Credentials:
        """`{prefix}USER` and `{prefix}PASSWORD` (e.g. BODX_ROBOT_USER / BODX_ROBOT_PASSWORD)."""
        user, password = os.environ.get(f"{prefix}USER"), os.environ.get(f"{prefix}PASSWORD")
        if not user or not password:
            raise RobotsError(
                f"環境変数 {prefix}USER と {prefix}PASSWORD を設定してください / "
                f"set the environment variables {prefix}USER and {prefix}PASSWORD"
            )
        return cls.of(user, password)
