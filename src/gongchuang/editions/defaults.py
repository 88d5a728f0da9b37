"""The 2026 edition as DOMAIN.md describes it, and the Beijing organising units.

Category names, materials and rubric texts are data of the edition (Chinese, as
published); the committee edits them per edition.
"""

import datetime

from gongchuang.accounts.enums import Level

ALL_LEVELS = [Level.PRIMARY, Level.JUNIOR, Level.SENIOR, Level.UNIVERSITY]

# Beijing's 16 districts plus the Economic-Technological Development Area.
DISTRICTS = [
    ("DC", "东城区"), ("XC", "西城区"), ("CY", "朝阳区"), ("HD", "海淀区"),
    ("FT", "丰台区"), ("SJS", "石景山区"), ("MTG", "门头沟区"), ("FS", "房山区"),
    ("TZ", "通州区"), ("SY", "顺义区"), ("CP", "昌平区"), ("DX", "大兴区"),
    ("HR", "怀柔区"), ("PG", "平谷区"), ("MY", "密云区"), ("YQ", "延庆区"),
    ("JK", "北京经济技术开发区"),
]  # fmt: skip

ORGANISERS = {
    "hosts": [
        "北京市科学技术协会",
        "北京市教育委员会",
        "共青团北京市委员会",
        "北京市门头沟区人民政府",
    ],
    "organisers": [
        "北京科学中心（北京青少年科技中心）",
        "北京科技社团服务中心",
        "北京市门头沟区科学技术协会",
        "北京市门头沟区教育委员会",
        "共青团北京市门头沟区委员会",
    ],
    "co_organisers": ["北京青少年科学基金会", "北京科学教育馆协会"],
}

MB = 1024 * 1024
IMAGE = ["image"]
VIDEO = ["video"]

COMMON_RUBRIC = [
    ("创新性", 30, "选题与方法的新颖程度"),
    ("AI 技术应用", 25, "人工智能技术运用的恰当性与深度"),
    ("完成度与实用性", 25, "作品完成程度与解决实际问题的价值"),
    ("表达与展示", 10, "作品说明与展示的清晰程度"),
    ("伦理与安全", 10, "数据、隐私、版权与安全意识"),
]
ANCHORS = {
    "1": "明显不足",
    "4": "基本达到要求",
    "7": "良好，有亮点",
    "10": "卓越，可作为示范",
}


def material(key, label, kinds, max_mb, *, required=True, multiple=False, link=False):
    return {
        "key": key,
        "label": label,
        "kinds": list(kinds),
        "max_bytes": max_mb * MB,
        "required": required,
        "multiple": multiple,
        "allows_link": link,
    }


CATEGORIES = [
    {
        "code": "ai_art", "short_code": "ART", "track": "student", "name": "AI 艺术创作",
        "description": "运用人工智能工具创作绘画、影像、音乐等艺术作品。",
        "max_authors": 1, "unit_quota": 30,
        "materials": [
            material("artwork", "作品文件（图片 PNG/JPG ≤20MB，视频 MP4 ≤500MB 或音频）", ["image", "video", "audio"], 500),
            material("statement", "创作说明（PDF）", ["pdf", "docx"], 20),
            material("process", "AI 工具与提示词/创作过程记录（PDF）", ["pdf", "docx"], 50),
        ],
    },
    {
        "code": "ai_agent", "short_code": "AGT", "track": "student", "name": "AI 智能体应用",
        "description": "设计并实现解决实际问题的 AI 智能体应用。",
        "max_authors": 3, "unit_quota": 30,
        "materials": [
            material("description", "作品说明（PDF）", ["pdf", "docx"], 20),
            material("demo_video", "演示视频（MP4 ≤500MB）", VIDEO, 500),
            material("agent_config", "访问链接或导出的智能体配置", ["zip", "pdf"], 50, required=False, link=True),
            material("design_doc", "设计文档（PDF）", ["pdf"], 50),
        ],
    },
    {
        "code": "ai_scientist", "short_code": "SCI", "track": "student", "name": "AI “科学家”",
        "description": "借助人工智能开展科学探究，形成研究报告。",
        "max_authors": 3, "unit_quota": None,
        "materials": [
            material("report", "研究报告（PDF）", ["pdf"], 50),
            material("data_code", "数据与代码压缩包（ZIP ≤500MB）", ["zip"], 500),
            material("video", "讲解视频（可选）", VIDEO, 500, required=False),
        ],
    },
    {
        "code": "ai_company", "short_code": "COM", "track": "student", "name": "AI “一人公司”",
        "description": "以人工智能为助手，一个人完成一项产品或服务的创业策划与实现。",
        "max_authors": 1, "unit_quota": None,
        "materials": [
            material("business_plan", "商业计划书（PDF）", ["pdf"], 50),
            material("product_demo", "产品演示视频或链接", VIDEO, 500, link=True),
            material("pitch_deck", "路演材料（可选）", ["pdf", "pptx"], 100, required=False),
        ],
    },
    {
        "code": "teaching_case", "short_code": "TCH", "track": "teacher", "name": "教师AI创新教学案例",
        "description": "以“数据、算法和算力”人工智能三大要素为核心内容的项目式教学实践活动案例（鼓励跨学科）、校本课程等。",
        "max_authors": 2, "unit_quota": None,
        "materials": [
            material("teaching_design", "教学设计（PDF/DOCX）", ["pdf", "docx"], 50),
            material("courseware", "课件", ["pptx", "pdf", "zip"], 200),
            material("class_video", "课堂实录视频（≤1GB）", VIDEO, 1024),
        ],
    },
]  # fmt: skip

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def windows_for_year(year: int) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """Default windows following the notice's four phases (the days inside phase 2 are ours)."""
    return {
        "preparation": (at(year, 2, 1), at(year, 4, 3)),
        "submission": (at(year, 4, 3), at(year, 5, 20, 23, 59, 59)),
        "unit_review": (at(year, 5, 21), at(year, 5, 31, 23, 59, 59)),
        "city_review": (at(year, 6, 1), at(year, 6, 7, 23, 59, 59)),
        "expert_review": (at(year, 6, 8), at(year, 6, 20, 23, 59, 59)),
        "finalist_announcement": (at(year, 6, 21), at(year, 6, 30, 23, 59, 59)),
        "final": (at(year, 7, 1), at(year, 8, 31, 23, 59, 59)),
        "summary": (at(year, 9, 1), at(year + 1, 1, 31, 23, 59, 59)),
    }


def demo_windows(now: datetime.datetime) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """Windows around ``now`` so that submission and every review step are open at once."""
    day = datetime.timedelta(days=1)
    return {
        "preparation": (now - 60 * day, now - 30 * day),
        "submission": (now - 30 * day, now + 14 * day),
        "unit_review": (now - 20 * day, now + 21 * day),
        "city_review": (now - 15 * day, now + 25 * day),
        "expert_review": (now - 10 * day, now + 30 * day),
        "finalist_announcement": (now - 5 * day, now + 35 * day),
        "final": (now - 2 * day, now + 60 * day),
        "summary": (now + 61 * day, now + 200 * day),
    }


DEFAULT_SETTINGS = {
    "reviews_per_work": 3,
    "star_shares": {"five": 15, "four": 35, "three": 50},
    "final_weights": {"presentation": 50, "task": 50, "online": 0},
    "publicity_working_days": 5,
    # Window of the award list's publicity (公示) in working days; 0 = closes at publication.
    "award_publicity_working_days": 5,
    "abstract_max_chars": 500,
    # Near-duplicate thresholds of the pre-check, in percent (screening.crosscheck).
    "similarity_text_percent": 60,
    "similarity_image_percent": 84,
}
