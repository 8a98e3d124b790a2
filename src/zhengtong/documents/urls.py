"""Official documents at /office/documents/: drafting and registers, and the 发文/收文 processing."""

from zhengtong.documents import urls_drafting, urls_processing

app_name = "documents"
urlpatterns = [*urls_drafting.urlpatterns, *urls_processing.urlpatterns]
