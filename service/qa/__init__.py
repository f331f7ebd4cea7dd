"""Question answering, one module per step: normalise → link → intend → bind → phrase.

`asker.Asker` runs the whole path and `evaluation` scores it; nothing here knows about HTTP.
"""
