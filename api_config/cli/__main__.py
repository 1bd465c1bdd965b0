from api_config.cli import main

main()
