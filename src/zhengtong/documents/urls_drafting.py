urlpatterns = []  # drafting engineer
