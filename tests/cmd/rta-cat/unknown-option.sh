rta-cat --no-such-option
