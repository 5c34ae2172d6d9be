# --help: usage, options and an example on stdout, exit 0.
rta-enrich --help
