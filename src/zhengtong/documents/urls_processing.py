urlpatterns = []  # flow engineer
