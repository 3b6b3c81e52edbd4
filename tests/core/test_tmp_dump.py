import pytest
from django.contrib import admin
from tests.pages import opened, visible
pytestmark = pytest.mark.django_db

def test_dump(client, admin_user):
    out = []
    for model in admin.site._registry:
        app = model._meta.app_label
        if app in ("core", "registry", "bpjs", "odgj", "puskesos"):
            continue
        for url in (f"/admin/{app}/{model._meta.model_name}/", f"/admin/{app}/{model._meta.model_name}/add/"):
            client.force_login(admin_user); r = client.get(url)
            if r.status_code != 200:
                out.append(f"{url} {r.status_code}"); continue
            out.append(url + " :: " + " | ".join(dict.fromkeys(visible(r.content.decode()))))
    open("/tmp/admin_dump.txt", "w").write("\n".join(out))
