rta-dedup --nosuch
