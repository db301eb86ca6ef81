"""Where the flows keep their files and how this process talks to Prefect.

`prefect_environment()` must run before Prefect is imported: Prefect reads its settings once, at import.
The `bodx` commands call it first; tests set the same variables through fixtures.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_API_URL = "http://127.0.0.1:4200/api"


class FlowSettings(BaseModel):
    """Typed view of the environment the flows run in."""

    model_config = ConfigDict(frozen=True)

    project_dir: Path = Field(description="folder that holds .prefect/ and data/")
    data_dir: Path = Field(description="personal data (readings, workbooks, results) stays below here")
    prefect_home: Path
    api_url: str
    # Where staff open the data directory from their own PCs (a shared folder such as
    # file://///fileserver/hoiku/data/ or an intranet URL): workbook links point there instead of at the
    # server's own disk, which a browser elsewhere cannot open.
    share_url: str | None = None

    @property
    def ui_url(self) -> str:
        """The UI is served by the same server at the root: http://host:port/."""
        return self.api_url.removesuffix("/").removesuffix("/api") + "/"

    @property
    def result_storage_dir(self) -> Path:
        # Flow results hold only paths and counts, but they live with the data all the same.
        return self.data_dir / "prefect-results"

    @classmethod
    def from_env(cls, project_dir: Path | None = None) -> FlowSettings:
        root = (project_dir or Path(os.environ.get("BODX_PROJECT_DIR", Path.cwd()))).resolve()
        return cls(
            project_dir=root,
            data_dir=Path(os.environ.get("BODX_DATA_DIR", root / "data")).resolve(),
            prefect_home=Path(os.environ.get("PREFECT_HOME", root / ".prefect")).resolve(),
            api_url=os.environ.get("PREFECT_API_URL", DEFAULT_API_URL),
            share_url=os.environ.get("BODX_SHARE_URL") or None,
        )

    def explorer_path(self, path: Path) -> str | None:
        r"""`path` as a Windows PC opens it from a file share (\\server\share\…), when share_url is a
        file:// URL: browsers refuse file links on a web page, so staff paste this into Explorer or
        Excel's Open dialog instead. None for an http(s) share (its link opens directly) or no share."""
        if not self.share_url or not self.share_url.startswith("file:"):
            return None
        link = urlsplit(self.staff_link(path))
        if not link.netloc and not link.path.startswith("//"):
            return None  # file:///local/path: a folder on the server itself, not a share
        unc = (link.netloc + link.path) if link.netloc else link.path.lstrip("/")
        return "\\\\" + unquote(unc).replace("/", "\\")

    def staff_link(self, path: Path) -> str:
        """The address staff open `path` at: under share_url when set, else the file's own URI."""
        resolved = path.resolve()
        if self.share_url and resolved.is_relative_to(self.data_dir):
            relative = resolved.relative_to(self.data_dir).as_posix()
            return self.share_url.rstrip("/") + "/" + quote(relative)
        return resolved.as_uri()


def prefect_environment(settings: FlowSettings) -> dict[str, str]:
    """Environment variables every Prefect process of this project gets (client, server, workers)."""
    return {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_HOME": str(settings.prefect_home),
        "PREFECT_API_URL": settings.api_url,
        "PREFECT_LOCAL_STORAGE_PATH": str(settings.result_storage_dir),
        # Task results carry personal data: nothing is persisted unless a flow asks for it explicitly.
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    }


def apply_environment(settings: FlowSettings) -> None:
    """Put the project's Prefect settings into os.environ, keeping anything the user set explicitly."""
    for key, value in prefect_environment(settings).items():
        if key in ("PREFECT_SERVER_ANALYTICS_ENABLED", "DO_NOT_TRACK"):
            os.environ[key] = value  # never phone home, whatever the shell says
        else:
            os.environ.setdefault(key, value)
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    settings.result_storage_dir.mkdir(parents=True, exist_ok=True)
