from lemmata._vendor import main

raise SystemExit(main())
