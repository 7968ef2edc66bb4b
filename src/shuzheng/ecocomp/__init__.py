"""Ecological-protection compensation (生态保护补偿, issue 12): the vertical allocation of the
compensation fund to counties (``allocation``) and horizontal upstream/downstream compensation
by water quality (``horizontal``), both pure Decimal modules whose figures are data."""
