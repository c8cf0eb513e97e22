from django.urls import path

from . import views

app_name = "play"

urlpatterns = [
    path("challenges/", views.challenge_list, name="challenges"),
    path("challenges/<str:slug>/", views.challenge_detail, name="challenge"),
    path("challenges/<str:slug>/join/", views.challenge_join, name="challenge_join"),
    path("challenges/<str:slug>/leaderboard/", views.challenge_leaderboard_choice, name="challenge_leaderboard"),
]
