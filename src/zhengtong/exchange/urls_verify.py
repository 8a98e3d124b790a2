"""Public address of a printed copy's QR code (/verify/): no sign-in needed."""

urlpatterns = []
