from auroralm.cli import main

raise SystemExit(main())
