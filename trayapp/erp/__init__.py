"""ERP side: the only package that speaks SQL to an ERP database."""
