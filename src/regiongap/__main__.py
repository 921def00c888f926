"""``python -m regiongap`` runs the command line (see :mod:`regiongap.cli`)."""

from regiongap.cli import main

raise SystemExit(main())
