from django.urls import path

from .views import auth, call, case, cities, inbox, people

app_name = "backoffice"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("bulk", inbox.bulk, name="bulk"),
    path("inbox.csv", inbox.export_csv, name="export"),
    path("login", auth.login, name="login"),
    path("login/code", auth.login_code, name="login_code"),
    path("login/enrol", auth.login_enrol, name="login_enrol"),
    path("logout", auth.logout, name="logout"),
    path("cases/<str:reference>", case.case_detail, name="case"),
    path("cases/<str:reference>/photos/<int:photo_id>.jpg", case.case_photo, name="case_photo"),
    path("cases/<str:reference>/<slug:name>", case.case_action, name="case_action"),
    path("citizens", people.find, name="find"),
    path("citizens/<int:user_id>", people.citizen, name="citizen"),
    path("contact", people.contact, name="contact"),
    path("call", call.call, name="call"),
    path("call/history", call.history, name="call_history"),
    path("cities", cities.cities, name="cities"),
]
