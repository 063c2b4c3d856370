"""Reviews routed by area (审核流程): village proposal, democratic appraisal (民主评议), public
notice (公示) with objections (异议), township and county decisions, announcement (公告).

Other apps describe their kinds of review in `fupin.workflow.processes` (read its docstring for the
rules and an example), open reviews with `fupin.workflow.services.review_open`, and find open
reviews of a record with `fupin.workflow.selectors.open_review_for`. Users take every later step in
the workflow's pages (/workflow/) and API (/api/workflow/).
"""
