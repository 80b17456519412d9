from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce, Now


def confirm_existing_addresses(apps, schema_editor):
    """Accounts from before e-mail confirmation keep writing as they did: their address
    counts as confirmed since they joined."""
    User = apps.get_model("threads", "User")
    User.objects.filter(email_confirmed_at=None).update(
        email_confirmed_at=Coalesce(F("date_joined"), Now())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0008_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        # Reversed, the column goes with its values: nothing to undo first.
        migrations.RunPython(confirm_existing_addresses, migrations.RunPython.noop),
    ]
