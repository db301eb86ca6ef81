"""Template-driven OCR of scanned application forms, with confidence and a review queue. No Prefect here."""
