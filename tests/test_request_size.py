"""A body larger than its sender may send is refused from its Content-Length, before anything
reads it or spools it to disk (a 100 MB upload once added 1.4 GB to a worker)."""

from django.urls import reverse

from audit.models import AuditEvent


def big_post(client, url, size):
    return client.generic(
        "POST",
        url,
        data=b"x" * size,
        content_type="application/x-www-form-urlencoded",
    )


def test_an_anonymous_large_body_is_refused_before_it_is_read(client, db, monkeypatch):
    from django.core.handlers.wsgi import WSGIRequest

    read = []
    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", lambda self: read.append(1))
    response = big_post(client, reverse("account_login"), 200 * 1024)
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert read == []
    assert not AuditEvent.objects.exists()


def test_a_normal_sign_in_form_passes(client, db):
    response = client.post(reverse("account_login"), {"login": "x", "password": "y"})
    assert response.status_code == 200


def test_staff_may_upload_a_csv_but_not_more_than_the_limit(client, staff_user, settings):
    client.force_login(staff_user)
    url = reverse("admin:index")
    assert big_post(client, url, settings.MAX_STAFF_UPLOAD_BYTES + 200 * 1024).status_code == 413
    assert big_post(client, url, 1024 * 1024).status_code != 413
