"""Built-in Chinese wording of every message kind (the committee may override each one).

Stored wording is data in Chinese, like category and school names, so the defaults
are written in Chinese here rather than translated from English.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultTemplate:
    label: str
    subject: str
    body: str
    placeholders: tuple[str, ...]


_WORK = ("title", "code", "state", "reason")

TEMPLATES: dict[str, DefaultTemplate] = {
    "work.submitted": DefaultTemplate(
        "作品已提交",
        "作品《{title}》已提交",
        "您的作品《{title}》已提交，作品编号为 {code}。",
        _WORK,
    ),
    "work.awaiting_school": DefaultTemplate(
        "作品已提交（待学校确认）",
        "作品《{title}》已提交，等待学校确认",
        "您的作品《{title}》已提交，作品编号为 {code}。"
        "作品将先由学校确认，再进入组织单位的资格审查。",
        _WORK,
    ),
    "work.school_confirmed": DefaultTemplate(
        "学校已确认",
        "作品《{title}》已通过学校确认",
        "您的作品《{title}》（{code}）已通过学校确认，进入组织单位的资格审查。",
        _WORK,
    ),
    "work.returned": DefaultTemplate(
        "作品退回修改",
        "作品《{title}》被退回修改",
        "您的作品《{title}》（{code}）被退回修改。原因：{reason}\n请在提交截止前修改后重新提交。",
        _WORK,
    ),
    "work.school_returned": DefaultTemplate(
        "学校退回修改",
        "作品《{title}》被学校退回修改",
        "您的作品《{title}》（{code}）经学校确认时被退回修改。原因：{reason}\n"
        "请在提交截止前修改后重新提交。",
        _WORK,
    ),
    "work.unit_rejected": DefaultTemplate(
        "单位资格审查未通过",
        "作品《{title}》未通过单位资格审查",
        "您的作品《{title}》（{code}）未通过组织单位的资格审查。原因：{reason}",
        _WORK,
    ),
    "work.recommended": DefaultTemplate(
        "单位推荐",
        "作品《{title}》已被单位推荐",
        "您的作品《{title}》（{code}）已由组织单位推荐至市级审查。",
        _WORK,
    ),
    "work.qualified": DefaultTemplate(
        "市级审查通过",
        "作品《{title}》通过市级审查",
        "您的作品《{title}》（{code}）已通过市级资格审查，进入专家网络评审。",
        _WORK,
    ),
    "work.city_rejected": DefaultTemplate(
        "市级审查未通过",
        "作品《{title}》未通过市级审查",
        "您的作品《{title}》（{code}）未通过市级资格审查。原因：{reason}",
        _WORK,
    ),
    "work.finalist": DefaultTemplate(
        "入围决赛",
        "恭喜！作品《{title}》入围决赛",
        "恭喜！您的作品《{title}》（{code}）入围线下决赛，决赛安排将另行通知。",
        _WORK,
    ),
    "work.not_selected": DefaultTemplate(
        "未入围决赛",
        "作品《{title}》未入围决赛",
        "您的作品《{title}》（{code}）未入围决赛。{reason}\n感谢您的参与！",
        _WORK,
    ),
    "work.awarded": DefaultTemplate(
        "获奖", "恭喜！作品《{title}》获奖", "恭喜！您的作品《{title}》（{code}）获得奖项。", _WORK
    ),
    "work.disqualified": DefaultTemplate(
        "取消资格",
        "作品《{title}》被取消资格",
        "您的作品《{title}》（{code}）被取消资格。原因：{reason}",
        _WORK,
    ),
    "team.invitation": DefaultTemplate(
        "团队邀请",
        "{inviter}邀请您加入作品《{title}》",
        "{inviter}邀请您作为{role}加入作品《{title}》，请登录平台确认或拒绝。",
        ("inviter", "title", "role"),
    ),
    "review.assigned": DefaultTemplate(
        "评审任务分配",
        "您有 {count} 件作品待评审",
        "{name}您好：{edition}的专家网络评审已为您分配 {count} 件作品，"
        "请于 {deadline} 前完成评分。",
        ("name", "edition", "count", "deadline"),
    ),
    "final.schedule": DefaultTemplate(
        "决赛安排",
        "决赛安排：{event}",
        "您的作品《{title}》入围决赛。决赛时间：{time}，地点：{place}。请按时到场并携带有效证件。",
        ("title", "event", "time", "place"),
    ),
    "results.published": DefaultTemplate(
        "结果公布",
        "{edition}结果已公布",
        "{edition}的评审结果已公布，您的作品《{title}》：{result}。请登录平台查看。",
        ("edition", "title", "result"),
    ),
    "deadline.reminder": DefaultTemplate(
        "截止提醒",
        "【提醒】{step}将于{deadline}截止",
        "{name}您好：{edition}的“{step}”环节将于 {deadline} 截止（还剩 {days} 天），请及时处理。",
        ("name", "edition", "step", "deadline", "days"),
    ),
    "screening.returned_to_unit": DefaultTemplate(
        "市级退回区级复审",
        "市级审核将作品 {code} 退回本单位",
        "市组委会将推荐作品《{title}》（{code}）退回本单位重新审核，其推荐名额已释放。原因：{reason}",
        ("title", "code", "reason"),
    ),
    "screening.reminder": DefaultTemplate(
        "资格审查催办",
        "【提醒】尚有作品等待资格审查",
        "{unit} 还有 {pending} 件作品等待资格审查，请于 {deadline} 前完成。",
        ("unit", "pending", "deadline"),
    ),
    "judging.reminder": DefaultTemplate(
        "评审催办",
        "提醒：请按时完成评审",
        "您在{jury}中还有 {count} 件作品未完成评审，截止时间：{deadline}。",
        ("jury", "count", "deadline"),
    ),
    "final.score_reminder": DefaultTemplate(
        "决赛评分催办",
        "提醒：请完成决赛评分",
        "您在决赛“{session}”（{place}）还有 {count} 份评分表未填写，请在评分页面完成。",
        ("session", "place", "count"),
    ),
    "objection.outcome": DefaultTemplate(
        "异议处理结果",
        "关于作品《{title}》的异议处理结果",
        "您对作品《{title}》（{code}）提出的异议已处理完毕。结果：异议{outcome}。说明：{reason}",
        ("title", "code", "outcome", "reason"),
    ),
    "objection.decided": DefaultTemplate(
        "作品异议处理结果",
        "关于作品《{title}》的异议已处理",
        "公示期间针对您的作品《{title}》（{code}）的异议已处理完毕。结果：异议{outcome}。说明：{reason}",
        ("title", "code", "outcome", "reason"),
    ),
    "objection.statement_requested": DefaultTemplate(
        "异议情况说明",
        "请就作品《{title}》的异议提交情况说明",
        "作品《{title}》（{code}）在公示期间收到异议，请于 {deadline} 前提交情况说明。",
        ("title", "code", "deadline"),
    ),
    "account.invitation": DefaultTemplate(
        "账号邀请（设置密码）",
        "请设置您在共创平台的登录密码",
        "{name}您好：\n{inviter}已为您在共创平台开通账号，用户名为 {username}。"
        "请在 {expires} 前打开下面的链接设置登录密码（链接只能使用一次）。\n"
        "链接失效后，请联系{inviter}重新发送邀请。",
        ("name", "username", "inviter", "expires", "url"),
    ),
    "account.password_help": DefaultTemplate(
        "重设密码链接（工作人员代发）",
        "请设置您在共创平台的新密码",
        "{name}您好：\n应您的请求，{inviter}为您的账号 {username} 发送了重设密码的链接。"
        "请在 {expires} 前打开下面的链接设置新密码（链接只能使用一次），原密码随即失效。\n"
        "如果您没有请求重设密码，请忽略本消息并联系{inviter}。",
        ("name", "username", "inviter", "expires", "url"),
    ),
}

SAMPLE_CONTEXT = {
    "title": "AI 守护城市绿地",
    "code": "2026-ART-HD-0001",
    "state": "退回修改",
    "reason": "作品说明缺少AI使用过程",
    "name": "李明",
    "edition": "2026年北京青少年人工智能应用实践活动",
    "step": "网上申报",
    "deadline": "2026-05-31 23:59",
    "days": "7",
    "outcome": "成立",
    "inviter": "陈老师",
    "role": "作者",
    "count": "12",
    "event": "2026年线下决赛",
    "time": "2026-07-10 09:00",
    "place": "北京市青少年科技馆",
    "result": "一等奖",
    "unit": "海淀区",
    "pending": "5",
    "jury": "AI 艺术创作评审组",
    "session": "AI 艺术创作 · 初中组 展示答辩",
    "username": "hd_zhang",
    "expires": "2026-05-08 18:00",
    "url": "https://gongchuang.example.cn/accounts/invitation/abc123/",
}

# Key notices that also go out by SMS to people with a verified mobile number, with the
# built-in text of each (the committee may override it and set the provider's template
# code on the kind's template page). Placeholders are a subset of the kind's; their
# order here is the order of a provider's numbered parameters ({1}, {2}, …).
SMS_TEXTS: dict[str, str] = {
    "work.returned": (
        "您的作品《{title}》被退回修改，原因：{reason}。请登录共创平台修改后重新提交。"
    ),
    "work.school_returned": (
        "您的作品《{title}》被学校退回修改，原因：{reason}。请登录共创平台修改后重新提交。"
    ),
    "deadline.reminder": "{edition}“{step}”环节将于{deadline}截止，请及时登录共创平台处理。",
    "team.invitation": "{inviter}邀请您加入作品《{title}》，请登录共创平台确认。",
    "work.finalist": "恭喜！您的作品《{title}》入围决赛，请登录共创平台查看决赛安排。",
    "results.published": "{edition}评审结果已公布，您的作品《{title}》：{result}。",
    "account.invitation": (
        "{name}您好，您的共创平台账号{username}已开通，请于{expires}前打开链接设置密码：{url}"
    ),
    "account.password_help": (
        "{name}您好，{inviter}为您的共创平台账号{username}发送了重设密码链接，请于{expires}前打开：{url}"
    ),
}

# The SMS text of a verification code (the provider's template: SMS_TEMPLATE_CODES["code"]).
SMS_CODE_TEXT = "您的验证码为{code}，5分钟内有效，请勿告诉他人。"
