"""The toolkit: uploads checked by type (name and content) and size, served safely."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beacon.campaigns import services
from beacon.campaigns.models import ToolkitFile, ToolkitImage
from beacon.campaigns.validators import MAX_TOOLKIT_FILE_BYTES
from beacon.core.errors import DomainError
from tests.conftest import logged_in_client
from tests.factories.campaigns import CampaignFactory, SnippetFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10"/></svg>'


def upload(name, content, ctype="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=ctype)


@pytest.fixture
def campaign(moderator):
    return CampaignFactory(created_by=moderator)


def add_file(client, campaign, name, content, title="Poster"):
    return client.post(
        f"/campaigns/{campaign.code}/toolkit/add/file/",
        {"title": title, "description": "Print it", "file": upload(name, content)},
    )


def test_a_pdf_is_added_and_downloaded_as_an_attachment(moderator, campaign, media_root):
    client = logged_in_client(moderator)

    response = add_file(client, campaign, "A3 poster (final).pdf", PDF)
    item = ToolkitFile.objects.get()
    download = client.get(f"/campaigns/toolkit/files/{item.code}/")

    assert response.status_code == 302
    assert item.size == len(PDF) and item.original_name == "A3 poster final.pdf"
    assert "poster" not in item.file.name  # stored under a random name
    assert download["Content-Disposition"] == 'attachment; filename="A3 poster final.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run-me.exe", b"MZ\x90\x00", "This type of file cannot be added"),
        ("page.html", b"<html></html>", "This type of file cannot be added"),
        ("fake.pdf", b"<script>alert(1)</script>", "does not look like a .pdf file"),
        ("fake.png", PDF, "does not look like a .png file"),
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script>', "scripts"),
        ("evil2.svg", b'<svg onload="x()" xmlns="http://www.w3.org/2000/svg"></svg>', "scripts"),
    ],
)
def test_wrong_or_dangerous_files_are_refused_with_the_typed_title_kept(
    moderator, campaign, media_root, name, content, message
):
    client = logged_in_client(moderator)

    response = add_file(client, campaign, name, content, title="My careful title")

    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert 'value="My careful title"' in body
    assert ToolkitFile.objects.count() == 0


def test_a_file_over_the_limit_is_refused(moderator, campaign, media_root):
    big = upload("big.pdf", PDF + b"0" * MAX_TOOLKIT_FILE_BYTES)

    with pytest.raises(DomainError, match="the limit is 10 MB"):
        services.add_toolkit_file(campaign, actor=moderator, upload=big, title="Big")

    assert ToolkitFile.objects.count() == 0


def test_an_image_needs_alt_text_and_is_shown_inline(moderator, campaign, media_root, client):
    with pytest.raises(DomainError, match="alt text"):
        services.add_toolkit_image(
            campaign, actor=moderator, upload=upload("a.svg", SVG), alt_text="  "
        )

    image = services.add_toolkit_image(
        campaign, actor=moderator, upload=upload("a.png", PNG), alt_text="A lighthouse"
    )
    page = client.get(f"/campaigns/{campaign.code}/").content.decode()
    inline = client.get(f"/campaigns/toolkit/images/{image.code}/")
    download = client.get(f"/campaigns/toolkit/images/{image.code}/?download=1")

    assert f'src="/campaigns/toolkit/images/{image.code}/" alt="A lighthouse"' in page
    assert inline["Content-Type"] == "image/png"
    assert inline["Content-Disposition"].startswith("inline")
    assert download["Content-Disposition"].startswith("attachment")
    assert ToolkitImage.objects.count() == 1


def test_snippets_have_a_copy_button_that_needs_javascript_and_selectable_text(client):
    snippet = SnippetFactory(text="I signed. Will you?")

    body = client.get(f"/campaigns/{snippet.campaign.code}/").content.decode()

    assert f'<textarea id="snippet-{snippet.pk}" rows="4" readonly>I signed. Will you?' in body
    assert f'data-copy="snippet-{snippet.pk}" hidden>Copy text</button>' in body
    assert "campaigns/js/copy" in body


def test_removing_an_item_deletes_its_stored_file(
    moderator, campaign, media_root, django_capture_on_commit_callbacks
):
    item = services.add_toolkit_file(
        campaign, actor=moderator, upload=upload("a.pdf", PDF), title="A"
    )
    stored = media_root / item.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(moderator).post(
            f"/campaigns/{campaign.code}/toolkit/remove/", {"kind": "file", "item": item.code}
        )

    assert ToolkitFile.objects.count() == 0
    assert not stored.exists()


def test_files_of_an_unpublished_campaign_are_not_served(moderator, campaign, media_root, client):
    item = services.add_toolkit_file(
        campaign, actor=moderator, upload=upload("a.pdf", PDF), title="A"
    )
    campaign.state = "draft"
    campaign.save()

    assert client.get(f"/campaigns/toolkit/files/{item.code}/").status_code == 404
    team = logged_in_client(moderator)
    assert team.get(f"/campaigns/toolkit/files/{item.code}/").status_code == 200
