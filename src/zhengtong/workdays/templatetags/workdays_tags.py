"""Dates as the calendar pages write them: "2月15日" in Chinese, "February 15" in English."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def month_day(value):
    if not value:
        return ""
    return date_format(value, pgettext("date format: month and day, no leading zeros", "F j"))


@register.filter
def month_day_weekday(value):
    if not value:
        return ""
    return date_format(value, pgettext("date format: month, day and weekday", "l, F j"))


@register.filter
def month_name(value):
    if not value:
        return ""
    return date_format(value, pgettext("date format: month name alone", "F"))
