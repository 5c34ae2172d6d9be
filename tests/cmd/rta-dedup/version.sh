rta-dedup --version | head -1
