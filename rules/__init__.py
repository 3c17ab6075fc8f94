"""The campaign's rules as pure Python (docs/rules.md): the engine (R1-R12), the prizes
(R13-R16), the gaps to the bounds, the Vietnamese wording and number format.

Standard library only, nothing of Django or of the apps: the bottom of the import order,
usable from any app, a template tag or a script.
"""
