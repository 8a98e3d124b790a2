"""Drafting, versions, attachments, number registers, red-header templates and the ledgers."""

from django.urls import path

from zhengtong.documents.views import drafting, ledgers, registers

urlpatterns = [
    path("drafts/", drafting.draft_list, name="drafts"),
    path("drafts/add/", drafting.draft_add, name="add"),
    path("<int:pk>/edit/", drafting.draft_edit, name="edit"),
    path("<int:pk>/versions/", drafting.versions, name="versions"),
    path("<int:pk>/versions/<int:seq>/", drafting.version_detail, name="version"),
    path("<int:pk>/attachments/add/", drafting.attachment_add, name="attachment-add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", drafting.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", drafting.attachment_remove, name="attachment-remove"),
    path("ledgers/outgoing/", ledgers.outgoing_ledger, name="ledger-outgoing"),
    path("ledgers/outgoing/export/", ledgers.outgoing_ledger_export, name="ledger-outgoing-export"),
    path("ledgers/incoming/", ledgers.incoming_ledger, name="ledger-incoming"),
    path("ledgers/incoming/export/", ledgers.incoming_ledger_export, name="ledger-incoming-export"),
    path("registers/", registers.register_list, name="registers"),
    path("registers/add/", registers.register_add, name="register-add"),
    path("registers/<int:pk>/edit/", registers.register_edit, name="register-edit"),
    path("registers/<int:pk>/", registers.register_numbers, name="register-numbers"),
    path("numbers/<int:pk>/void/", registers.number_void, name="number-void"),
    path("red-headers/", registers.red_header_list, name="red-headers"),
    path("red-headers/add/", registers.red_header_add, name="red-header-add"),
    path("red-headers/<int:pk>/edit/", registers.red_header_edit, name="red-header-edit"),
    path("red-headers/<int:pk>/delete/", registers.red_header_delete, name="red-header-delete"),
]
