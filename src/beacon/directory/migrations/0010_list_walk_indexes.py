# Pages of the HSDS API's service list are read by walking an index in list order and
# stopping after the page, rather than finding every match and sorting it:
#
# - `Service(name, id, last_modified)` replaces `(name, id)`: a `modified_after` that keeps
#   most services is tested on the index entries as they are walked (no table reads);
# - `ServiceIndex(primary, name_key, service_id)` replaces `(primary, name_key)`: `search=`
#   walks the primary rows by folded name and id, testing each against the term index's
#   matches (queries.services_for_api).
#
# Plain CREATE/DROP INDEX on both databases (no table rebuild: SQLite's FTS5 triggers of
# 0009 stay).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0009_term_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="service", name="dir_service_name_id"),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["name", "id", "last_modified"], name="dir_service_list"),
        ),
        migrations.RemoveIndex(model_name="serviceindex", name="dir_index_name"),
        migrations.AddIndex(
            model_name="serviceindex",
            index=models.Index(
                fields=["primary", "name_key", "service_id"], name="dir_index_name_id"
            ),
        ),
    ]
