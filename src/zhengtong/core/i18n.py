"""Translatable text defined outside any app, so that ``makemessages`` in core collects it.

``settings.LANGUAGES`` names the languages with ``gettext_lazy``; settings.py lies outside every
app's locale directory, so its msgids are kept here (same text, so the same translation applies).
"""

from django.utils.translation import gettext_noop

LANGUAGE_NAMES = (gettext_noop("Simplified Chinese"), gettext_noop("English"))
