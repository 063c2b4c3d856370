from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "fupin.assessment"
    verbose_name = "考核评估"

    def ready(self) -> None:
        from fupin.assessment.process import register_assessment_process
        from fupin.audit.labels import register_action_labels
        from fupin.web.context import register_menu

        register_menu(70, _("考核方案"), "assessment:schemes", "assessment.view")
        register_menu(71, _("驻村帮扶考核"), "assessment:rounds", "assessment.view")
        register_assessment_process()
        register_action_labels({
            "assessment.round_created": _("建立考核批次"),
            "assessment.self_assessed": _("驻村工作队自评"),
            "assessment.county_assessed": _("县级考核评价"),
            "assessment.ranked": _("考核评分排序"),
            "assessment.approved": _("领导小组审定考核结果"),
            "assessment.published": _("公布考核结果"),
            "assessment.spot_checked": _("登记市级抽查验收"),
            "assessment.material": _("登记报送材料"),
        })
