"""The pages of a long action on letters (staff/jobs.py), outside the admin: a teacher, who is
not staff, follows there the letters they asked for. Included under courriers/ by the root
URLconf (the key cookie's path, staff.jobs.COOKIE_PATH)."""

from django.urls import path

from staff import jobs

urlpatterns = [
    path("<int:pk>/", jobs.job_page, name="letter_job"),
    path("<int:pk>/etat/", jobs.job_status, name="letter_job_status"),
    path("<int:pk>/telecharger/", jobs.job_download, name="letter_job_download"),
]
