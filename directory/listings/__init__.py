"""Listings: what coordinators do to keep the directory true (export; edit and import next)."""
