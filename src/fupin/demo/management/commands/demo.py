import subprocess
import sys

from django.core.management import call_command

from fupin.areas.selectors import area_get
from fupin.core.commands import FupinCommand
from fupin.demo.services import DEMO_PASSWORD, demo_setup


class Command(FupinCommand):
    help = "演示 / demo: migrate, load divisions, create demo accounts, serve on 127.0.0.1:8000. 一键启动演示系统。"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not start the server / 只建库")
        parser.add_argument("--port", default="8000", help="port, default 8000 / 端口")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移 / database migrated")
        accounts = demo_setup(progress=self.progress("areas"))
        self.stdout.write(f"\n演示账号 Demo logins (密码 password: {DEMO_PASSWORD})")
        for a in accounts:
            self.stdout.write(f"  {a.username:<14} {a.full_name}  @ {area_get(a.area).name} ({a.area})")
        if options["no_serve"]:
            return
        url = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write(f"\n打开 Open {url}  (Ctrl+C 停止 to stop)\n")
        # The worker is its own process, so background tasks survive a restart of the web server.
        worker = subprocess.Popen([sys.executable, "-m", "fupin.cli", "worker"])
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            worker.terminate()
