"""Domain core: territories, incident taxonomy, periods. Imports no web framework nor database."""
