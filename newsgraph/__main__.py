# Absolute, so `spark-submit .../newsgraph/__main__.py batch ...` runs it as a plain script too.
from newsgraph.cli import main

main()
