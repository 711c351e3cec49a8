"""Forms that several blueprints share: common fields and widgets, youth, opening, matching.

A blueprint's own forms stay in its `forms.py`. This package imports nothing
itself; import the module you need (`from ..forms.common import BaseForm`).
"""
