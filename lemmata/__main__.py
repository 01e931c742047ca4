from lemmata.cli import main

main()
