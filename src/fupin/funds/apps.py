from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "fupin.funds"
    verbose_name = "资金资产"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.web.context import register_menu

        register_menu(70, _("资金项目"), "funds:projects", "funds.view")
        register_action_labels({
            "funds.project.create": _("项目申报"), "funds.project.update": _("修改项目"),
            "funds.project.township_review": _("项目乡镇审核"), "funds.project.publicise": _("项目乡镇公示"),
            "funds.project.approve": _("项目县级审定入库"), "funds.project.reject": _("项目退回"),
            "funds.project.progress": _("项目进度报告"), "funds.project.complete": _("项目完工"),
            "funds.project.township_accept": _("项目乡镇初验"), "funds.project.accept": _("项目县级验收"),
            "funds.allocation.post": _("资金下达"), "funds.disbursement.post": _("资金拨付"),
            "funds.posting.reverse": _("资金记账冲正"),
            "funds.asset.register": _("资产登记"), "funds.asset.confirm": _("资产确权"),
            "funds.asset.inventory": _("资产年度清查"), "funds.asset.pledge_refused": _("拒绝资产抵押担保"),
            "funds.contract.propose": _("资产经营合同"), "funds.contract.file": _("经营合同备案"),
            "funds.contract.end": _("经营合同终止"), "funds.equity.register": _("资金入股登记"),
            "funds.equity.end": _("资金入股退出"), "funds.income.receive": _("资产收益到账"),
            "funds.income.reverse": _("收益到账冲正"),
            "funds.disposal.request": _("资产处置申请"), "funds.disposal.value": _("资产处置评估"),
            "funds.disposal.approve": _("资产处置批准"), "funds.disposal.refuse": _("资产处置不予批准"),
            "funds.disposal.complete": _("资产处置核销"),
            "funds.plan.create": _("收益分配方案"), "funds.plan.update": _("修改分配方案"),
            "funds.plan.decide": _("分配方案民主决策"), "funds.plan.publicise": _("分配方案公示"),
            "funds.plan.review": _("分配方案审核"), "funds.plan.approve": _("分配方案县级审批"),
            "funds.plan.pay": _("分配方案兑付"), "funds.plan.reject": _("分配方案退回"),
        })
