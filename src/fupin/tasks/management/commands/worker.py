from fupin.core.commands import FupinCommand
from fupin.tasks.services import worker_loop


class Command(FupinCommand):
    help = "后台任务 / background worker: run queued tasks (imports, screening, reports). 运行排队中的后台任务。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty / 队列清空后退出")

    def handle(self, *args, **options):
        ran = worker_loop(once=options["once"])
        self.stdout.write(f"ran {ran} task(s)")
