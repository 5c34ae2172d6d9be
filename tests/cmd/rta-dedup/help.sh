rta-dedup --help
