"""Signals of the campaign app, for the apps above it."""

from django.dispatch import Signal

# Sent at the end of `demo.demo_load` with `organisation`: the awards app installs the demo's
# throw-away signing certificates and images (campaign cannot import awards).
demo_loaded = Signal()
