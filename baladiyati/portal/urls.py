from django.urls import path

from .views import (
    areas,
    cases,
    geo,
    home,
    mine,
    preferences,
    pwa,
    report,
    services,
    signin,
    similar,
    track,
)

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("report", report.report, name="report"),
    path("report/services.json", services.search_services, name="services"),
    path("report/similar", similar.similar_cases, name="similar"),
    path("report/sent/<str:token>", report.sent, name="sent"),
    path("track/<str:token>", track.track, name="track"),
    path("track/<str:token>/reopen", track.reopen, name="reopen"),
    path("track/<str:token>/rate", track.rate, name="rate"),
    path("track/<str:token>/answer", track.answer, name="answer"),
    path("track/<str:token>/photos/<int:photo_id>.jpg", track.private_photo, name="track_photo"),
    path("requests", mine.my_requests, name="requests"),
    path("cases", cases.case_list, name="cases"),
    path("cases/<slug:slug>/<str:reference>", cases.case_detail, name="case"),
    path("cases/<slug:slug>/<str:reference>/follow", cases.follow, name="follow"),
    path(
        "cases/<slug:slug>/<str:reference>/photos/<int:photo_id>.jpg",
        cases.public_photo,
        name="case_photo",
    ),
    path("signin", signin.signin, name="signin"),
    path("signin/code", signin.signin_code, name="signin_code"),
    path("signout", signin.signout, name="signout"),
    path("settings", preferences.preferences, name="preferences"),
    path("areas", areas.areas, name="areas"),
    path("areas/<int:subscription_id>/stop", areas.stop, name="area_stop"),
    path("geo/boundaries.geojson", geo.boundaries, name="boundaries"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="sw"),
    path("icons/<str:name>.png", pwa.icon, name="icon"),
    path("favicon.ico", pwa.icon, {"name": "favicon"}, name="favicon"),
    path("offline", pwa.offline, name="offline"),
]
