"""HR staff pages: the organisation overview and the review of the cause analysis."""
