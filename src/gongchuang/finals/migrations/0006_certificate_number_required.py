"""Every certificate has its number (0004 numbered the existing ones): required, unique.
A migration of its own: on PostgreSQL the new index is not built in the transaction that
updated the rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("finals", "0005_certificate_number")]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="serial",
            field=models.PositiveIntegerField(
                editable=False, verbose_name="sequence in the edition"
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="number",
            field=models.CharField(
                editable=False, max_length=24, unique=True, verbose_name="certificate number"
            ),
        ),
    ]
