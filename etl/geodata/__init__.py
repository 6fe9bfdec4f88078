"""Reference data and geometries of the French départements (build step)."""
