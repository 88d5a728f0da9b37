from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0006_identity_keys"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="authorship",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("holds_slot", True), models.Q(("person_key", ""), _negated=True)
                ),
                fields=("edition", "person_key"),
                name="one_work_per_person_per_edition",
            ),
        ),
    ]
