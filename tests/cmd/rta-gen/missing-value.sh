# An option that needs a value, given none, is a usage error.
rta-gen --count
