rta-gen --help
