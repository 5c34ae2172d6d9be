rta-cat --help
