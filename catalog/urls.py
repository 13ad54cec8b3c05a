from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("albums/", views.AlbumListView.as_view(), name="album-list"),
    path("albums/<slug:slug>/", views.AlbumDetailView.as_view(), name="album-detail"),
    path("tracks/", views.TrackListView.as_view(), name="track-list"),
    path("artists/", views.ArtistListView.as_view(), name="artist-list"),
    path("artists/<slug:slug>/", views.ArtistDetailView.as_view(), name="artist-detail"),
    path("labels/", views.LabelListView.as_view(), name="label-list"),
    path("labels/<slug:slug>/", views.LabelDetailView.as_view(), name="label-detail"),
    path("genres/", views.GenreListView.as_view(), name="genre-list"),
    path("genres/<slug:slug>/", views.GenreDetailView.as_view(), name="genre-detail"),
    path("films/", views.FilmListView.as_view(), name="film-list"),
    path("films/<slug:slug>/", views.FilmDetailView.as_view(), name="film-detail"),
]
