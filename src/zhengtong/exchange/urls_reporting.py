"""Receiving windows, the 通报 (operator) and each unit's 公文通知接收登记表."""

from django.urls import path

from zhengtong.exchange.views import reporting

urlpatterns = [
    path("windows/", reporting.windows_overview, name="windows"),
    path("report/", reporting.report, name="report"),
    path("report/export.xlsx", reporting.report_export, name="report-export"),
    path("report/export.pdf", reporting.report_pdf, name="report-pdf"),
    path("register/", reporting.ledger_page, name="ledger"),
    path("register/export.xlsx", reporting.ledger_export, name="ledger-export"),
    path("register/export.pdf", reporting.ledger_pdf, name="ledger-pdf"),
]
