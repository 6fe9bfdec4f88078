"""Loading submission files (CSV, XLSX) through the same validation and storage as the API."""
