from django.contrib.sitemaps import views as sitemaps
from django.urls import path, re_path

from articles import feeds, search_views, talks_views, views
from articles.sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    # Browsing
    path("", views.home, name="home"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/undated/", views.UndatedArticleListView.as_view(), name="undated"),
    # Four-digit years and two-digit months, ahead of the article routes they resemble.
    re_path(r"^articles/(?P<year>[0-9]{4})/$", views.ArticleYearArchiveView.as_view(), name="year"),
    re_path(
        r"^articles/(?P<year>[0-9]{4})/(?P<month>0[1-9]|1[0-2])/$",
        views.ArticleMonthArchiveView.as_view(),
        name="month",
    ),
    # A short link to quote; /articles/<id>/ would clash with the year archive.
    path("a/<int:pk>/", views.ArticleDetailView.as_view(), name="detail-short"),
    path("articles/<int:pk>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path(
        "articles/<int:pk>/<slug:slug>/original/",
        views.ArticleOriginalView.as_view(),
        name="original",
    ),
    path(
        "articles/<int:pk>/<slug:slug>/changes/",
        views.ArticleChangesView.as_view(),
        name="changes",
    ),
    path(
        "articles/<int:pk>/cite.bib",
        views.ArticleCitationView.as_view(format="bib"),
        name="cite-bib",
    ),
    path(
        "articles/<int:pk>/cite.ris",
        views.ArticleCitationView.as_view(format="ris"),
        name="cite-ris",
    ),
    path("sources/", views.SourceListView.as_view(), name="sources"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed-latest"),
    path("feeds/sources/<slug:slug>/", feeds.SourceArticlesFeed(), name="feed-source"),
    # An index of sections, so a large archive is not cut off at one sitemap's 5,000 links.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("opensearch.xml", views.opensearch_xml, name="opensearch"),
    # The talks: rounds, people, topics, timeline
    path("rounds/", talks_views.round_list, name="rounds"),
    path("rounds/<slug:slug>/", talks_views.round_detail, name="round"),
    path("people/", talks_views.person_list, name="people"),
    path("people/<slug:slug>/", talks_views.person_detail, name="person"),
    path("topics/", talks_views.topic_list, name="topics"),
    path("topics/<slug:slug>/", talks_views.topic_detail, name="topic"),
    path("timeline/", talks_views.timeline, name="timeline"),
    # Search
    path("search/", search_views.search, name="search"),
    path("search/export.csv", search_views.export_csv, name="search-csv"),
    path("search/export.json", search_views.export_json, name="search-json"),
    path("search/feed/", search_views.SearchFeed(), name="search-feed"),
]
