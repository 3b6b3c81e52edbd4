from django.urls import path

from puskesos import reports

app_name = "reports"
urlpatterns = [
    path("bulanan.xlsx", reports.monthly_report_xlsx, name="monthly"),
    path("bulanan.pdf", reports.monthly_report_pdf, name="monthly_pdf"),
    path("akses-subjek-data/", reports.subject_access, name="subject_access"),
]
