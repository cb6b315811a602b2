from amtui.cli import main

raise SystemExit(main())
