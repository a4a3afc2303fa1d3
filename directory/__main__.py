import sys

from directory.cli.commands import main

sys.exit(main())
