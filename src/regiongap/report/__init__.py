"""HTML reports: the shared tables, the sections, and the build with papermill."""
