import sys

from directory.cli.main import main

sys.exit(main())
