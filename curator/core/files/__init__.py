"""The user's files: read within bounds, written atomically, leftovers cleaned.

- :mod:`.inputs`: regular files only, every read bounded.
- :mod:`.xml_input`: XML parsed without entities, with the line of every element.
- :mod:`.atomic`: files and folders replaced in one step, modes from the umask.
- :mod:`.leftovers`: temporaries named by their owner, removed once it is gone.
"""
