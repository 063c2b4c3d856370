from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "fupin.funds"
    verbose_name = "资金资产"
