"""Mechanics without business rules, below every app of the site (website -> content -> referrals ->
community -> shop -> core). Each module reads like a small library with its own tests; nothing here
imports from the apps above."""
