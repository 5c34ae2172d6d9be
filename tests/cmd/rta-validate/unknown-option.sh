rta-validate --no-such-option
