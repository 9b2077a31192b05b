from ncm_toolkit.launch import main

main()
