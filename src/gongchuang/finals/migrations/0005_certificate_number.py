"""Certificate numbers (证书编号): the edition's code and a sequence within the edition.
Existing certificates are numbered in the order they were issued (date, then id)."""

from django.db import migrations, models


def number_existing(apps, schema_editor):
    Certificate = apps.get_model("finals", "Certificate")
    serials: dict[int, int] = {}
    rows = Certificate.objects.select_related("event__edition").order_by("issued_on", "id")
    for certificate in rows.iterator():
        edition = certificate.event.edition
        serials[edition.pk] = serials.get(edition.pk, 0) + 1
        certificate.serial = serials[edition.pk]
        certificate.number = f"{edition.code}-{certificate.serial:05d}"
        certificate.save(update_fields=["serial", "number"])


class Migration(migrations.Migration):
    dependencies = [
        ("finals", "0004_final_day_operations"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="serial",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="sequence in the edition"
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="number",
            field=models.CharField(
                editable=False, max_length=24, null=True, verbose_name="certificate number"
            ),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop, elidable=False),
    ]
