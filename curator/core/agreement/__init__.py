"""Agreement between curators.

- :mod:`.measures`: F1, kappa and alpha, pure functions over spans.
- :mod:`.tokens`: token categories for kappa and alpha, as arrays.
- :mod:`.data`: loading what is compared, and the report.
- :mod:`.concepts`: how often matched spans agree on their concepts.
"""
