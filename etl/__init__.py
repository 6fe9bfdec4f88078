"""ETL and operations: file loading, geodata build, demo data, publication jobs, the CLI."""
