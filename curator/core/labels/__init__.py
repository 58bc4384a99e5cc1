"""The label set: editing it (names, colours, keys, order, retiring) and merging it.

- :mod:`.editing`: every change to a label, each a new revision.
- :mod:`.merging`: a label set is a register by uid; how two sets become one.
"""
