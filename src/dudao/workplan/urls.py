from django.urls import URLPattern, URLResolver

app_name = "workplan"
urlpatterns: list[URLPattern | URLResolver] = []
