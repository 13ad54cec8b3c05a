from django.urls import path

from . import feeds, views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/feed/", feeds.LatestReviewsFeed(), name="review-feed"),
    path("reviews/feed/atom/", feeds.LatestReviewsAtomFeed(), name="review-feed-atom"),
    path("albums/<slug:slug>/reviews/feed/", feeds.AlbumReviewsFeed(), name="album-review-feed"),
    path("albums/<slug:slug>/reviews/feed/atom/", feeds.AlbumReviewsAtomFeed(), name="album-review-feed-atom"),
    path("artists/<slug:slug>/reviews/feed/", feeds.ArtistReviewsFeed(), name="artist-review-feed"),
    path("artists/<slug:slug>/reviews/feed/atom/", feeds.ArtistReviewsAtomFeed(), name="artist-review-feed-atom"),
    path("publications/", views.PublicationListView.as_view(), name="publication-list"),
    path("publications/<slug:slug>/", views.PublicationDetailView.as_view(), name="publication-detail"),
    path("critics/", views.CriticListView.as_view(), name="critic-list"),
    path("critics/<slug:slug>/", views.CriticDetailView.as_view(), name="critic-detail"),
    path("lists/", views.BestOfListListView.as_view(), name="list-list"),
    path("lists/<slug:slug>/", views.BestOfListDetailView.as_view(), name="list-detail"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/feed/", feeds.LatestArticlesFeed(), name="article-feed"),
    path("articles/feed/atom/", feeds.LatestArticlesAtomFeed(), name="article-feed-atom"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<slug:slug>/view/", views.record_article_view, name="article-view"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
]
