from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo data of the five vendors (idempotent) and print the log-in accounts."

    def handle(self, **options):
        from podpora.demo import load_demo

        lines = load_demo(progress=lambda msg: self.stderr.write(msg))
        self.stdout.write("Demo log-ins (http://127.0.0.1:8000/):")
        for line in lines:
            self.stdout.write(f"  {line}")
