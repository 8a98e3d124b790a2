"""Office pages of the exchange app (/office/exchange/): one include per part."""

from django.urls import include, path

app_name = "exchange"
urlpatterns = [
    path("", include("zhengtong.exchange.urls_core")),
    path("", include("zhengtong.exchange.urls_printing")),
    path("", include("zhengtong.exchange.urls_reporting")),
]
