"""The fictional 鹤山区 of the demo: its units, departments, name pools and the demo accounts.

Everything here is invented. Names of people are drawn from common surnames and given-name
characters; the demo accounts use fixed, made-up names chosen for memorable pinyin usernames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zhengtong.directory import roles

DISTRICT = "鹤山区"
DEFAULT_SEED = 2026
# Published with the demo; every demo account has it, nobody else does.
DEMO_PASSWORD = "Demo@2026zt"
# GB/T 2260 region code used in the unified social credit codes of the demo units.
REGION_CODE = "440307"
# Unit codes come from the district's reserved range: 4403 + category digit + two-digit number.
UNIT_CODE_PREFIX = "4403"


@dataclass(frozen=True)
class UnitSpec:
    """One unit: ``departments[0]`` is its office (办公室 or equivalent, where 核稿 and 收发 sit)."""

    category: str  # UnitCategory.code
    name: str
    short_name: str
    document_prefix: str
    leaders: tuple[str, ...]  # titles; the first is the principal leader, the others deputies
    departments: tuple[str, ...]
    office_staff: int = 1
    # departments whose people also review website content (seed 000: 法制室、保密局、网维办、宣传部)
    reviewing: tuple[str, ...] = ()
    # departments whose people are platform operators (政务信息中心)
    operating: tuple[str, ...] = ()
    # departments whose people are all on the duty roster (总值班室)
    on_duty: tuple[str, ...] = ()
    staff: dict[str, int] = field(default_factory=dict)  # extra staff per department
    institution: bool = False  # 事业单位: credit codes start 12 instead of 11 (机关)


_BUREAU = ("局长", "副局长")
_STREET_DEPARTMENTS = ("党政综合办公室", "经济发展办公室", "社会事务办公室", "城市管理办公室")
_TOWN_DEPARTMENTS = ("党政办公室", "经济发展办公室", "农业农村办公室", "社会事务办公室")

UNITS: list[UnitSpec] = [
    # 党群部门
    UnitSpec("dangqun", "中共鹤山区委员会办公室", "区委办", "鹤办", ("主任", "副主任"),
             ("秘书科", "综合科", "督查室", "机要科")),
    UnitSpec("dangqun", "中共鹤山区委员会组织部", "区委组织部", "鹤组", ("部长", "常务副部长"),
             ("办公室", "组织科", "干部科", "公务员管理科")),
    UnitSpec("dangqun", "中共鹤山区委员会宣传部", "区委宣传部", "鹤宣", ("部长", "常务副部长"),
             ("办公室", "理论科", "新闻科", "网络信息管理科"),
             reviewing=("新闻科", "网络信息管理科"), staff={"新闻科": 1}),
    UnitSpec("dangqun", "中共鹤山区纪律检查委员会（鹤山区监察委员会）", "区纪委监委", "鹤纪",
             ("书记", "副书记"), ("办公室", "党风政风监督室", "信访室", "案件监督管理室")),
    UnitSpec("dangqun", "中共鹤山区委员会统一战线工作部", "区委统战部", "鹤统", ("部长", "副部长"),
             ("办公室", "党派工作科", "民族宗教科", "经济联络科")),
    UnitSpec("dangqun", "鹤山区国家保密局", "区保密局", "鹤保", _BUREAU,
             ("办公室", "保密监督科", "保密技术科", "宣传教育科"), reviewing=("保密监督科", "保密技术科")),
    # 政府部门
    UnitSpec("zhengfu", "鹤山区人民政府办公室", "区政府办", "鹤政办", ("主任", "副主任", "副主任"),
             ("秘书科", "综合科", "督查室", "政务信息中心", "网维办", "总值班室"),
             reviewing=("网维办",), operating=("政务信息中心",), on_duty=("总值班室",),
             staff={"政务信息中心": 1}),
    UnitSpec("zhengfu", "鹤山区发展和改革局", "区发改局", "鹤发改", _BUREAU,
             ("办公室", "综合规划科", "投资科", "价格科")),
    UnitSpec("zhengfu", "鹤山区教育局", "区教育局", "鹤教", _BUREAU,
             ("办公室", "基础教育科", "人事科", "计划财务科")),
    UnitSpec("zhengfu", "鹤山区司法局", "区司法局", "鹤司", _BUREAU,
             ("办公室", "法制室", "社区矫正科", "公共法律服务科"), reviewing=("法制室",)),
    UnitSpec("zhengfu", "鹤山区财政局", "区财政局", "鹤财", ("局长", "副局长", "副局长"),
             ("办公室", "预算科", "国库科", "综合科", "行政政法科", "农业科")),
    UnitSpec("zhengfu", "鹤山区人力资源和社会保障局", "区人社局", "鹤人社", _BUREAU,
             ("办公室", "就业促进科", "劳动关系科", "社会保险科")),
    UnitSpec("zhengfu", "鹤山区自然资源局", "区自然资源局", "鹤自然资源", _BUREAU,
             ("办公室", "国土空间规划科", "耕地保护科", "不动产登记科")),
    UnitSpec("zhengfu", "鹤山区住房和城乡建设局", "区住建局", "鹤建", _BUREAU,
             ("办公室", "建筑业管理科", "房地产市场科", "城市建设科")),
    UnitSpec("zhengfu", "鹤山区交通运输局", "区交通运输局", "鹤交", _BUREAU,
             ("办公室", "公路建设科", "运输管理科", "安全监督科")),
    # The demo unit: its people are mostly the demo accounts (see DEMO_ACCOUNTS).
    UnitSpec("zhengfu", "鹤山区农业农村局", "区农业农村局", "鹤农", ("局长", "副局长", "副局长"),
             ("办公室", "产业发展科", "农村改革科", "种植业管理科", "畜牧兽医科", "农田建设管理科"),
             office_staff=0),
    UnitSpec("zhengfu", "鹤山区商务局", "区商务局", "鹤商", _BUREAU,
             ("办公室", "招商引资科", "商贸流通科", "对外经济科")),
    UnitSpec("zhengfu", "鹤山区文化和旅游局", "区文化和旅游局", "鹤文旅", _BUREAU,
             ("办公室", "文化艺术科", "旅游发展科", "文物科")),
    UnitSpec("zhengfu", "鹤山区卫生健康局", "区卫生健康局", "鹤卫健", _BUREAU,
             ("办公室", "医政医管科", "疾病预防控制科", "基层卫生科")),
    UnitSpec("zhengfu", "鹤山区应急管理局", "区应急管理局", "鹤应急", _BUREAU,
             ("办公室", "综合协调科", "防汛抗旱科", "应急救援科")),
    UnitSpec("zhengfu", "鹤山区市场监督管理局", "区市场监管局", "鹤市监", _BUREAU,
             ("办公室", "登记注册科", "食品安全科", "质量监督科")),
    UnitSpec("zhengfu", "鹤山区统计局", "区统计局", "鹤统计", _BUREAU,
             ("办公室", "综合科", "国民经济核算科", "农村统计科")),
    UnitSpec("zhengfu", "鹤山区医疗保障局", "区医保局", "鹤医保", _BUREAU,
             ("办公室", "待遇保障科", "基金监管科", "医药价格科")),
    UnitSpec("zhengfu", "鹤山区城乡一体化办公室", "区城乡办", "鹤城乡", ("主任", "副主任"),
             ("办公室", "规划协调科", "项目推进科", "综合督查科")),
    # 人大政协
    UnitSpec("renda-zhengxie", "鹤山区人民代表大会常务委员会办公室", "区人大办", "鹤人大办", ("主任", "副主任"),
             ("秘书科", "综合科", "代表联络科", "法制工作室")),
    UnitSpec("renda-zhengxie", "中国人民政治协商会议鹤山区委员会办公室", "区政协办", "鹤政协办",
             ("主任", "副主任"),
             ("秘书科", "综合科", "提案科", "委员联络科")),
    # 政法部门
    UnitSpec("zhifa", "中共鹤山区委员会政法委员会", "区委政法委", "鹤政法", ("书记", "常务副书记"),
             ("办公室", "综治督导科", "执法监督科", "维稳指导科")),
    UnitSpec("zhifa", "鹤山区人民法院", "区法院", "鹤法", ("院长", "副院长"),
             ("办公室", "立案庭", "刑事审判庭", "民事审判庭")),
    UnitSpec("zhifa", "鹤山区人民检察院", "区检察院", "鹤检", ("检察长", "副检察长"),
             ("办公室", "第一检察部", "第二检察部", "第三检察部")),
    UnitSpec("zhifa", "云州市公安局鹤山分局", "区公安分局", "鹤公", ("局长", "政委"),
             ("办公室", "指挥中心", "治安管理大队", "刑事侦查大队")),
    # 乡镇街道
    UnitSpec("xiangzhen", "鹤山区沙河街道办事处", "沙河街道", "沙河", ("党工委书记", "办事处主任"),
             _STREET_DEPARTMENTS),
    UnitSpec("xiangzhen", "鹤山区东城街道办事处", "东城街道", "东城", ("党工委书记", "办事处主任"),
             _STREET_DEPARTMENTS),
    UnitSpec("xiangzhen", "鹤山区西城街道办事处", "西城街道", "西城", ("党工委书记", "办事处主任"),
             _STREET_DEPARTMENTS),
    UnitSpec("xiangzhen", "鹤山区南湖街道办事处", "南湖街道", "南湖", ("党工委书记", "办事处主任"),
             _STREET_DEPARTMENTS),
    UnitSpec("xiangzhen", "鹤山区桃源镇人民政府", "桃源镇", "桃政", ("党委书记", "镇长"),
             _TOWN_DEPARTMENTS),
    UnitSpec("xiangzhen", "鹤山区青山镇人民政府", "青山镇", "青政", ("党委书记", "镇长"),
             _TOWN_DEPARTMENTS),
    UnitSpec("xiangzhen", "鹤山区白石镇人民政府", "白石镇", "白政", ("党委书记", "镇长"), _TOWN_DEPARTMENTS),
    UnitSpec("xiangzhen", "鹤山区柳溪镇人民政府", "柳溪镇", "柳政", ("党委书记", "镇长"), _TOWN_DEPARTMENTS),
    # 事业单位
    UnitSpec("shiye", "鹤山区融媒体中心", "区融媒体中心", "鹤融媒", ("主任", "副主任"),
             ("办公室", "新闻采编部", "新媒体部", "技术保障部"), institution=True),
    UnitSpec("shiye", "鹤山区政务服务中心", "区政务服务中心", "鹤政服", ("主任", "副主任"),
             ("办公室", "综合窗口科", "审批协调科", "热线服务科"), institution=True),
    # 垂直管理部门
    UnitSpec("chuizhi", "国家税务总局鹤山区税务局", "区税务局", "鹤税", _BUREAU,
             ("办公室", "税政科", "征收管理科", "纳税服务科")),
    UnitSpec("chuizhi", "鹤山区气象局", "区气象局", "鹤气", _BUREAU,
             ("办公室", "气象台", "防灾减灾科", "综合科")),
]

OPERATOR_UNIT = "鹤山区人民政府办公室"
OPERATOR_DEPARTMENT = "政务信息中心"
DEMO_UNIT = "鹤山区农业农村局"


@dataclass(frozen=True)
class DemoAccount:
    """A demo account: signs in with DEMO_PASSWORD at once, no password change asked."""

    username: str
    name: str
    role: str  # a role code from zhengtong.directory.roles
    unit: str  # full unit name
    department: str
    title: str
    leader_order: int | None = None

    @property
    def role_name(self) -> str:
        return next(name for code, name, *_ in roles.DEFAULT_ROLES if code == self.role)


# One account per role (《公文流转角色添加记录表》): the approval chain of 区农业农村局 from drafter to
# principal leader, its office, and — where the seeds put them — the reviewer (网维办) and the operator.
DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("majunfei", "马骏飞", roles.PLATFORM_OPERATOR, OPERATOR_UNIT, OPERATOR_DEPARTMENT, "工程师"),
    DemoAccount("zhengyiming", "郑一鸣", roles.UNIT_ADMIN, DEMO_UNIT, "办公室", "一级科员"),
    DemoAccount("gaojianguo", "高建国", roles.PRINCIPAL_LEADER, DEMO_UNIT, "", "局长", leader_order=1),
    DemoAccount("sunlixin", "孙立新", roles.DEPUTY_LEADER, DEMO_UNIT, "", "副局长", leader_order=2),
    DemoAccount("chenyaqin", "陈雅琴", roles.CHECKER, DEMO_UNIT, "办公室", "主任"),
    DemoAccount("zhouxiaomei", "周晓梅", roles.SECTION_CHIEF, DEMO_UNIT, "产业发展科", "科长"),
    DemoAccount("liusiyuan", "刘思远", roles.DRAFTER, DEMO_UNIT, "产业发展科", "科员"),
    DemoAccount("yangxiaofan", "杨小帆", roles.CLERK, DEMO_UNIT, "办公室", "科员"),
    DemoAccount("wuzhiming", "吴志明", roles.HANDLER, DEMO_UNIT, "农村改革科", "科员"),
    DemoAccount("huangjiayi", "黄佳怡", roles.INFO_OFFICER, DEMO_UNIT, "办公室", "科员"),
    DemoAccount("linhaitao", "林海涛", roles.DUTY_OFFICER, DEMO_UNIT, "办公室", "科员"),
    DemoAccount("hexiulan", "何秀兰", roles.SEAL_KEEPER, DEMO_UNIT, "办公室", "四级主任科员"),
    DemoAccount("xuwenbo", "许文博", roles.CONTENT_REVIEWER, OPERATOR_UNIT, "网维办", "科员"),
    # The 保密室 custodian who, with the operator, confirms the making of every electronic seal.
    DemoAccount("tangjingyi", "唐静怡", roles.SEAL_CUSTODIAN, "鹤山区国家保密局", "保密技术科", "科长"),
]


@dataclass(frozen=True)
class ConcurrentPost:
    """A second post (一人多岗): leader ``source_leader`` (1-based) of ``source`` also serves in ``target``."""

    source: str
    source_leader: int
    target: str
    title: str
    leader_order: int
    role: str


CONCURRENT_POSTS: list[ConcurrentPost] = [
    # The demo deputy leader also serves in 城乡办, so the unit switcher has something to show.
    ConcurrentPost(DEMO_UNIT, 2, "鹤山区城乡一体化办公室", "副主任（兼）", 3, roles.DEPUTY_LEADER),
    ConcurrentPost("中共鹤山区委员会办公室", 2, "鹤山区国家保密局", "局长（兼）", 1, roles.PRINCIPAL_LEADER),
    ConcurrentPost("中共鹤山区委员会宣传部", 2, "鹤山区融媒体中心", "主任（兼）", 1, roles.PRINCIPAL_LEADER),
    ConcurrentPost("鹤山区人民政府办公室", 2, "鹤山区政务服务中心", "主任（兼）", 1, roles.PRINCIPAL_LEADER),
]

# Two people with the same name: the second gets zhangwei01 (seed 004: 遇重名则加数字区分).
DUPLICATE_NAME = "张伟"
DUPLICATE_POSTS = [("鹤山区教育局", "基础教育科"), ("鹤山区桃源镇人民政府", "经济发展办公室")]

# Surnames read differently as surnames (单 shan, 解 xie, 曾 zeng, 查 zha, 区 ou, 仇 qiu); each person
# takes a staff post in the given unit and department.
SPECIAL_READINGS = [
    ("单晓东", "shanxiaodong", "鹤山区财政局", "国库科"),
    ("解文华", "xiewenhua", "鹤山区发展和改革局", "投资科"),
    ("曾志强", "zengzhiqiang", "鹤山区住房和城乡建设局", "城市建设科"),
    ("查玉兰", "zhayulan", "鹤山区卫生健康局", "医政医管科"),
    ("区嘉欣", "oujiaxin", "鹤山区沙河街道办事处", "社会事务办公室"),
    ("仇海波", "qiuhaibo", "云州市公安局鹤山分局", "治安管理大队"),
]

# Common surnames, most frequent first (weights fall off with rank).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏"
            "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
            "万钱严武戴莫孔向汤")
# Given-name characters without ambiguous readings.
GIVEN_MALE = ("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰"
              "建国文志海东新立成江振宏洪德荣亮庆彬晨博毅松")
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲桂萍红梅琳雪婷莉倩颖慧佳琴丹洁薇晶蕾月欣怡悦璐瑶梦雯岚秀英兰凤云春晓"

STAFF_TITLES = ("科员", "科员", "一级科员", "二级科员", "四级主任科员")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "185",
                   "186", "187", "188", "189", "191", "199")
# Local numbers of department phones.
PHONE_AREA = "0755"


def head_title(department: str) -> str:
    """The title of a department's head, from the kind of department (科长, 主任, 庭长…)."""
    for suffix, title in (("科", "科长"), ("检察部", "主任"), ("庭", "庭长"), ("大队", "大队长"),
                          ("部", "部长"), ("台", "台长"), ("局", "局长")):
        if department.endswith(suffix):
            return title
    return "主任"
