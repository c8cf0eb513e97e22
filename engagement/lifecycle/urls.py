from django.urls import path

from . import views

app_name = "lifecycle"

urlpatterns = [
    path("surveys/<str:token>/<int:score>/", views.survey_answer_view, name="survey"),
    path("surveys/<str:token>/comment/", views.survey_comment_view, name="survey_comment"),
]
