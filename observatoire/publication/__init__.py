"""Publications: protected, immutable snapshots of the statistics cube, and their reading."""
