"""The one URL Haystack's search view needs to render its form."""

from django.urls import path
from haystack.views import SearchView

urlpatterns = [path("", SearchView(load_all=False), name="haystack_search")]
