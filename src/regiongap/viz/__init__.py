"""Plotly figures built from regiongap's frames: frames in, ``Figure`` out.

Nothing here fetches, shows or writes; notebooks and reports decide what to do
with a figure.
"""
