"""The `fupin` console script: `fupin <noun> <verb>` over Django management commands.

    fupin demo                    set up a demo county and serve it on 127.0.0.1:8000
    fupin areas load --province 21
    fupin audit verify
    fupin worker                  run background tasks
    fupin <any Django command>    migrate, createsuperuser, ...
"""

from __future__ import annotations

import os
import sys

HELP = """fupin — 精准扶贫·防返贫监测帮扶管理系统 / targeted poverty alleviation & anti-return monitoring

用法 Usage: fupin <命令 command> [选项 options]   (fupin <command> --help 查看每个命令的说明)

  demo            演示：建库、加载区划、创建演示账号并启动网站 / set up the demo and serve it on 127.0.0.1:8000
  areas load      加载统计用区划代码（可重复执行）/ load division codes (idempotent)
  audit verify    校验审计哈希链 / verify the audit hash chain
  audit prune     修剪6个月以前的审计事件 / prune audit events older than 6 months
  worker          运行后台任务 / run background tasks
  dictionaries load  加载数据字典（代码表）/ load the code lists
  generate        生成模拟县建档立卡数据 / generate a realistic synthetic county registry
  registry quality  建档立卡数据质量检查 / registry data-quality checks (两该两不该, 账实相符)
  policy          政策包：list | show | check | diff | publish / policy packs
  evaluate        用政策包评估家庭（JSON lines）/ evaluate households against a policy pack
  screen          政策筛查：判定区划内全部户并保存结果 / screen the registry and store decisions
  assess          考核评分：schemes | show | score | check / assessment schemes and scoring
  report          官方报表（如 asset-inventory 资产清查表）/ official report forms
  funds           台账导入：import-stations | import-posts | import-loans | template / import funds ledgers
  monitoring overdue   防返贫监测逾期环节与月度监测 / overdue monitoring steps and monthly records
  feeds load      导入行业部门数据并预警 / load a department data feed and raise alerts
  progress        挂图作战：load | refresh / targets and plans, refresh the pre-aggregated indicators
  supervision overdue  逾期整改问题督办至上一级（每日运行）/ escalate overdue findings (run daily)
  bench           基准测试（JSON）/ benchmarks printing JSON
  migrate         数据库迁移 / apply database migrations
  runserver       启动网站 / serve the web app

环境变量 Environment: FUPIN_DATA_DIR (默认 ./var), DATABASE_URL, SECRET_KEY, FUPIN_DEBUG, FUPIN_COUNTIES
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(HELP)
        return
    if argv[0] == "demo":
        # Only the demo runs with debug on; it also needs no SECRET_KEY from the environment.
        os.environ.setdefault("FUPIN_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fupin", *argv])


if __name__ == "__main__":
    main()
