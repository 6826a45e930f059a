import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the libraries load: nothing was read or written yet
    print("Interrupted; nothing was written.", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
