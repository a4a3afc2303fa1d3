"""The directory of services: models, vocabularies, settings and the subpackages by concern."""
