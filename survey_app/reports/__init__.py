"""Quarterly learning reports: content from the database, rendering to HTML and PDF/A, storage."""
