"""Dashboard pages: one module per page, each exposing one page function."""
