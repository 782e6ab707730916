from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from baladiyati.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("baladiyati.open311.urls")),
    path("backoffice/permits/", include("baladiyati.permits_web.review_urls")),
    path("backoffice/", include("baladiyati.backoffice.urls")),
    path("notify/", include("baladiyati.notify.urls")),
    # Building permits: applicant pages under /permits/, public /verify/<token>, register.
    path("", include("baladiyati.permits_web.urls")),
    # The citizen app (installable PWA) at the root: its service worker must be served from "/".
    path("", include("baladiyati.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
