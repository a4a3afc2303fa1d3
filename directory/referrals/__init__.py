"""Referrals: the workflow from draft to closed, case codes, next-best and the printable sheet."""
