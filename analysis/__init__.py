"""Kvifor's text and statistics library: plain Python and scikit-learn, no Flask.

Components follow scikit-learn's conventions (parameters in ``__init__``, ``fit`` /
``transform`` / ``predict``, learned attributes ending in ``_``, a ``random_state``).
"""
