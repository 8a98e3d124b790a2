"""Role codes. The roles themselves are data (migration 0002); code refers to them by these codes."""

PLATFORM_OPERATOR = "platform_operator"  # 平台管理员（政务信息中心）
UNIT_ADMIN = "unit_admin"  # 单位系统管理员
DRAFTER = "drafter"  # 拟稿人
SECTION_CHIEF = "section_chief"  # 科室负责人
CHECKER = "checker"  # 核稿人
DEPUTY_LEADER = "deputy_leader"  # 分管领导
PRINCIPAL_LEADER = "principal_leader"  # 主要领导
CLERK = "clerk"  # 收发员/交换员
HANDLER = "handler"  # 承办人
INFO_OFFICER = "info_officer"  # 信息员
CONTENT_REVIEWER = "content_reviewer"  # 审核人
DUTY_OFFICER = "duty_officer"  # 值班员
SEAL_KEEPER = "seal_keeper"  # 印章管理员
SEAL_CUSTODIAN = "seal_custodian"  # 保密室印章监管员 (seed 001 第二十二、二十三条)

# (code, Chinese name, scope, description) — loaded by the data migration.
DEFAULT_ROLES = [
    (PLATFORM_OPERATOR, "平台管理员（政务信息中心）", "platform", "注册、更名、合并、撤销单位；颁发电子印章；查看全平台审计记录"),
    (UNIT_ADMIN, "单位系统管理员", "unit", "管理本单位的科室、人员、角色和用户组"),
    (DRAFTER, "拟稿人", "unit", "起草公文"),
    (SECTION_CHIEF, "科室负责人", "unit", "审核本科室起草的公文"),
    (CHECKER, "核稿人", "unit", "办公室核稿"),
    (DEPUTY_LEADER, "分管领导", "unit", "审核、签发分管范围的公文，批示收文"),
    (PRINCIPAL_LEADER, "主要领导", "unit", "签发公文，批示收文"),
    (CLERK, "收发员/交换员", "unit", "签收、登记、打印、发送交换公文"),
    (HANDLER, "承办人", "unit", "办理收文和督办事项"),
    (INFO_OFFICER, "信息员", "unit", "报送网站内容和政务信息"),
    (CONTENT_REVIEWER, "审核人", "unit", "审核网站内容和信息（法制室、保密局、网维办、宣传部）"),
    (DUTY_OFFICER, "值班员", "unit", "值班日志、电话记录、突发事件"),
    (SEAL_KEEPER, "印章管理员", "unit", "保管和使用本单位电子印章"),
    (SEAL_CUSTODIAN, "保密室印章监管员", "platform", "管理电子印章服务器的加密器件，与政务信息中心共同确认电子印章的制作、变更和销毁"),
]
