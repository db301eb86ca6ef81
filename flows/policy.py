"""Task policies shared by the flows.

Retries are for I/O only (network shares, scanners' folders, the legacy system): recomputing OCR or the
optimizer after a real error would only repeat it. Tasks that carry personal data are never cached and
their results never persisted.
"""

from __future__ import annotations

IO_RETRIES = 2
IO_RETRY_DELAY_SECONDS = 5
