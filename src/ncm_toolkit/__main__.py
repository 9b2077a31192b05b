from ncm_toolkit.cli import main

main()
