"""What templates and views share: filters and globals, vocabularies, view helpers, locales.

This package imports nothing itself, so that a service may use `ui.vocabulary`
(pure labels) without pulling in the view helpers.
"""
