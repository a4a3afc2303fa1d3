"""Storage: the only code that runs SQL (store, migrations, audit log, frame)."""
