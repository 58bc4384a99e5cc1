"""Review: where curators differ, and the adjudicated layer.

- :mod:`.differences`: classifying differences on one document (pure).
- :mod:`.adjudication`: a reviewer's decisions and the curated layer they build.
- :mod:`.relation_differences`: where two curators' relations differ, and
  accepting or rejecting a relation (with its ends) into the curated layer.
"""
