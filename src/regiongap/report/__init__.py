"""HTML reports: assemble the library's results into pages; compute nothing twice.

:mod:`~regiongap.report.data` (the shared tables, :class:`ReportData`),
:mod:`~regiongap.report.compute` (those tables, from the library's functions),
:mod:`~regiongap.report.store` (computed once per build, then read),
:mod:`~regiongap.report.tables` and :mod:`~regiongap.report.sections` (what a page
shows), :mod:`~regiongap.report.html` (nbconvert export and the index page) and
:mod:`~regiongap.report.build` (:func:`~regiongap.report.build.build_reports`, the
papermill runs).
"""
