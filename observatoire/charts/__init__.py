"""Vega-Lite chart specifications of published statistics (the map, series) and their images.

Data in, spec out: no HTTP, no Streamlit. The API serves the specs and their SVG/PNG
renderings (`api/routes/images.py`); the dashboard reads them from the API.
"""
