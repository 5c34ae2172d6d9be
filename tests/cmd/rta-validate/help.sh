rta-validate --help
