"""Review: where curators differ, and the adjudicated layer.

- :mod:`.differences`: classifying differences on one document (pure).
- :mod:`.adjudication`: a reviewer's decisions and the curated layer they build.
"""
