rta-gen --no-such-option
