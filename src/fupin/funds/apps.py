from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "fupin.funds"
    verbose_name = "资金资产"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.funds.services.pv_plans import register_recipient_process
        from fupin.web.context import register_menu

        register_menu(70, _("资金项目"), "funds:projects", "funds.view")
        register_recipient_process()
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
            "funds.pv.station": _("光伏电站登记"), "funds.pv.station_update": _("修改光伏电站"),
            "funds.pv.settle": _("光伏发电结算"), "funds.pv.settle_reverse": _("光伏结算冲正"),
            "funds.pv.settle_import": _("导入光伏结算单"),
            "funds.pv.recipient_apply": _("光伏收益资助申请"), "funds.pv.recipient_decided": _("光伏收益资助审核结果"),
            "funds.pv.plan_create": _("光伏收益分配方案"), "funds.pv.plan_update": _("修改光伏收益分配方案"),
            "funds.pv.plan_decide": _("光伏方案村民代表大会通过"), "funds.pv.plan_publicise": _("光伏方案公示"),
            "funds.pv.plan_approve": _("光伏方案乡镇审核"), "funds.pv.plan_file": _("光伏方案县扶贫办备案"),
            "funds.pv.plan_reject": _("光伏方案退回"),
            "funds.job.create": _("设置公益岗位"), "funds.job.end": _("公益岗位解聘"),
            "funds.job.attendance": _("公益岗位考勤"), "funds.job.pay": _("公益岗位工资发放"),
            "funds.job.reverse": _("公益岗位记录冲正"),
            "funds.credit.lender": _("合作金融机构"), "funds.credit.demand": _("贷款意愿登记"),
            "funds.credit.apply": _("小额信贷申请"), "funds.credit.review": _("小额信贷乡镇审核备案"),
            "funds.credit.approve": _("小额信贷银行审批"), "funds.credit.disburse": _("小额信贷发放"),
            "funds.credit.refuse": _("小额信贷不予贷款"), "funds.credit.repay": _("小额信贷还款"),
            "funds.credit.repay_reverse": _("小额信贷还款冲正"), "funds.credit.suspend": _("小额信贷停止发放"),
            "funds.credit.resume": _("小额信贷协商恢复"),
            "funds.workshop.create": _("扶贫车间申报"), "funds.workshop.update": _("修改扶贫车间"),
            "funds.workshop.certify": _("扶贫车间认定"), "funds.workshop.file": _("扶贫车间备案"),
            "funds.workshop.subsidy": _("扶贫车间补贴"), "funds.workshop.subsidy_reverse": _("扶贫车间补贴冲正"),
        })
