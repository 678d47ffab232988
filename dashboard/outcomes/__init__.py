"""The regional outcome dataset: the indicator catalogue (:mod:`.catalogue`), the mapping of Eurostat's NUTS
units onto the 25 regions (:mod:`.nuts`) and the refresh from Eurostat's API (:mod:`.refresh`).

This package sits beside ``data.py`` and ``geo/`` in the house: it loads and fetches data, and never imports
callbacks, components, pages, routes, cli or app. Only :mod:`.refresh` touches the network (through the
``eurostat`` package, imported inside the function that fetches).
"""
