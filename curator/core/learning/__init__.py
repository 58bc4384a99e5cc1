"""A span recognizer trained on the team's own decisions, as one more suggestion source.

- :mod:`.decisions`: what the team decided, read from the database (no spaCy).
- :mod:`.model_store`: where a model lives beside its database, and when it is usable.
- :mod:`.pipeline`: the spaCy pipeline (span categorizer) and its candidate spans.
- :mod:`.training`: training a pipeline on decisions and storing it.
- :mod:`.recognizer`: proposals of a stored model, with a score, for ``suggest``.
- :mod:`.retraining`: when enough new decisions call for a new model.
- :mod:`.tuning`: the variables that tune it (checked by every command at start).
- :mod:`.evaluation`: leave-one-document-out precision and recall.

Only :mod:`.pipeline`, :mod:`.training` and :mod:`.recognizer` import spaCy,
and only when called, so a light install (no spaCy) imports this package and
keeps suggesting from the lexicons.
"""
