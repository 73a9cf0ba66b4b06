"""The home page's panels: what the roles that only look (committee, staff representatives) will do."""

MESSAGES = {
    "workspace.duties": "我的考核职责",
    "workspace.duty.committee_when": "全年 {quarters} 次季度评估结束后，考核委员会开展年度综合评定。",
    "workspace.duty.committee_hear": "听取每人述职并答辩，每人述职不超过 {minutes} 分钟。",
    "workspace.duty.committee_vote": "组织民主测评，结合季度结果、加分和否决情形审定年度等次。",
    "workspace.duty.committee_notice": "初步等次在单位内公示 {notice} 个工作日，受理并答复异议。",
    "workspace.duty.committee_appeal": "受理本人收到结果后 {appeal} 个工作日内提出的申诉，并作出复核决定。",
    "workspace.duty.rep_vote": "年度综合评定时参加民主测评，为同事的年度表现评定等次，投票不记名。",
    "workspace.duty.rep_notice": "初步等次公示的 {notice} 个工作日内，可以对有疑问的等次提出异议。",
    "workspace.duty.not_started": "{year} 年度综合评定尚未开始；开始后，需要您办理的事项会出现在上方待办中。",
}
