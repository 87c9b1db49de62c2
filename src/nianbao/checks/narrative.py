"""A published report's text against its own tables: warnings N01–N06 (documents only).

Reports state their main figures in words too (「2023年全区受理政府信息公开申请21件」). Such a
statement is compared with the table when it is about one of these figures:

| rule | the text says | the table's figure |
|---|---|---|
| N01 | 收到 / 受理 / 接收 / 新收 … 申请 X 件 (「未收到…申请」, 「无依申请公开」, 「未发生…申请」: 0) | 表三 本年新收, 总计 (+ 上年结转 when the text says the figure includes it: ``includes_carried``) |
| N02 | 上年（度）结转 … X 件 (2020年结转 in 2021's report) | 表三 上年结转, 总计 |
| N03 | 办结 / 答复 / 办理完毕 / 处理完毕 … 申请 X 件 (or X 件 after a sentence about 申请) | 表三 （七）总计, 总计 |
| N04 | 结转下年度 (结转至2022年 in 2021's report) … X 件, X 件（因…，）顺延（结转）到下年度 | 表三 结转下年度继续办理, 总计 |
| N05 | 行政复议（案件） X 件 (「未发生…行政复议」「无…行政复议案件」: 0) | 表四 行政复议 总计 |
| N06 | 行政诉讼（案件） X 件 (「未发生…行政诉讼」「无…行政诉讼案件」: 0) | 表四 未经复议直接起诉 总计 + 复议后起诉 总计 |

**Scope.** The tables are the reporting body's as a whole (a district's report counts every
department of the district), and only statements about that whole are compared. A statement's
scope is judged by what the sentence says before the figure (its subject; the last 300
characters of a longer line, a joined annex: ``_CONTEXT``): it is *not* compared when that
part names a narrower body or a part of the figure — 代表 (an office acting for the
government: 「区政府办代表区政府受理政府信息公开申请17件」), 本级, 政府办, 办公室,
部门, 各单位, 所属, 下属, 乡镇, 街道, or a body (区自然资源局, 区卫健委, 镇人民政府, 区人民法院:
``another_body``) — unless the word or body is part of the reporting unit's own name (a
街道办事处's report may say 街道; 区政府 in 区人民政府's), the body names itself (本部门, 我单位,
本机关, 我街) or a government's report names the whole of its place (全区各级行政机关, 全区各部门);
nor after a 其中 that lists parts (``under_part``) — unless the statement is 表三's own row
(「126件，其中新收121件、上年结转5件」), a 复议 / 诉讼 figure after a list of applications, or
a total said again after the list (「其中网上申请80件、信函申请40件，共答复110件」); nor when it
speaks of another period anywhere before the figure (去年, 累计, 往年, 平均, 三年来, 近年来,
多年来, 年均, 过去, “十四五”以来, 自…以来, 实施以来, 疫情期间, 截至目前, 至今, 机构改革后 …,
上年 — not 上年结转, this year's quantity — 前年, another year's number in digits or 二〇二〇, a range of years) or of a part of
the year (第一季度, 上半年, 1-6月, 6月份, 11月至12月 — not 1月1日至12月31日, 1-12月:
``part_of_year``); nor when the figure's own clause compares it with another year or says a
change (同比, 较上年, 与2020年相比, 增加, 减少, 由…增加到: a difference, not this year's figure)
— a comparison in an earlier clause is said of that clause's figure, so 「…120件，同比增长15%，
办结申请150件」 compares 150. What is said of another figure or of none counts for no subject
(``aside``): a title (《…2020年…要点》), an aside with its own figure (「（2020年为100件）」,
「（区政府办公室收到40件）」), another year's figure (「上年为100件」) or report (上年度报告). A figure
stated for 复议 or 诉讼 never counts as an application; a 行政复议 figure of the body as
复议机关 (作为复议机关 before the figure, or 受理, 审理, 办理, 办结, 收到, 接收 … 行政复议 in its
clause: ``as_review_organ``) is not compared with its own. Sentences end at 。；！？, at a blank
line and at a heading (一、 （一） 1.); a line ended otherwise goes on into the next (a web
page's <br>, a wrapped text file); white space and invisible characters inside them (a PDF's
line breaks, 「21 件」, 「1​0件」) are ignored.

**Parts.** Only a statement of the whole quantity is compared (宁可少比对，不误报); an application
statement of a part is not (``is_part``): one manner (延期, 逾期, 当场, 尚未 答复) or one channel
(通过网上, 当面, 信函 … 受理 — unless said to be all of them: 各类, 等, 各种) or one source (上级转办,
转来, 交办, 移送 … — unless 各类, 各种, 所有 …; a mere 等 lists sources) in its clause (from the
last comma or opening parenthesis) or between its verb and figure; a received or carried figure
whose clause has a handled verb before it (「办结本年新收申请13件」, 「办结上年结转申请2件」); a
handled figure of one year's applications (办结 上年结转 / 新收 申请). A sentence that gives one
quantity several different figures as its whole (「受理申请10件，受理申请4件」) is not compared for
it; a part or a narrower scope is no such figure (「全年受理申请20件，其中网上受理申请10件」 still
compares 20), nor a total that includes the carried applications (「126件，其中新收121件」
compares both). Nor is a 办结 figure of one outcome (予以公开, 不予公开 … 答复 X 件), nor a
received one (「予以公开的…申请共计45件」, 「申请共45件予以公开」), or a 行政诉讼 figure of one
kind (复议后起诉, 直接起诉); nor a 通过依申请公开渠道 figure taken for one channel.
A 复议 or 诉讼 figure of all the body's cases is not compared: 出庭应诉行政诉讼案件12件, or one
followed by its disclosure cases (「行政复议案件8件，其中涉及政府信息公开的3件」: 3 is compared);
nor a figure of applications followed by its disclosure ones (「收到各类申请99件，其中政府信息
公开申请86件」). A figure of anything but disclosure applications (「答复网民留言88件」, 「办结
群众诉求120件」, 「受理营业执照申请500件」, 「受理依申请政务服务事项5000件，办结5000件」,
依申请事项 — 依申请公开事项 are applications) is no statement at all (``of_applications``).

**Count first, no verb.** A figure before what it counts is compared when that names disclosure
applications (「共收到99件政府信息公开申请」, 「已办结99件依申请公开事项」 — not 「99件各类申请」,
「99件依申请事项」) and ends the clause or goes on to what became of them (not 「…申请材料」,
「…申请中」), or cases that happened (「共发生3起政府信息公开行政复议案件」 — not after 收到 /
受理, 另有, nor 「…案件被纠错」「…行政复议、行政诉讼案件」); 「共有99件政府信息公开申请」 is
received. 「政府信息公开申请数量为99件」 (数, 总数, 件数; 「申请共计99件」) is received, when nothing
before it in its clause names another quantity (办结, 答复, 结转, 处理, 转办). 「收到并办结申请99件」 is received and handled: handled of the received ones,
so compared with （七）总计 only when 上年结转 is 0 (``received_and_handled``).

**Two quantities, one figure.** A figure said of two quantities named together (「行政复议、
行政诉讼案件共9件」) is neither's: a statement whose name (上年结转, 结转下年度, 行政复议,
行政诉讼) follows a joiner (、 和 及 与 或 以及) with no figure before the joiner is not compared
(``combined``); 「行政复议2件、行政诉讼7件」 is a list, compared. This year's and last year's
applications named together (「本年新收、上年结转申请共90件」, 「受理上年结转和本年新收的申请126件」)
are their total: compared with 本年新收 + 上年结转 (``of_both_years``), never as 上年结转.
With 「其中行政复议2件、行政诉讼7件」 after it the parts are not compared either (其中).
Quantities named in a list and given their figures in order (「收到、办结政府信息公开申请分别为
130件和113件」, 「行政复议、行政诉讼案件分别为3件和5件」) are each compared, when each name is
one of these quantities, as many figures as names (``_one_each``); 「行政复议、行政诉讼各5件」 is a
figure of each.

**None.** 「无政府信息公开行政复议案件」, 「本年度无因政府信息公开引起的行政复议、行政诉讼案件」 say
there were none of the whole quantity: 0, compared like any statement (scope, year). Only when
nothing but the cases follows 无 to the clause's end (「无行政复议案件被纠正」 is none of one
outcome, not compared), and not after 有 / 尚 / 毫 / 如 / 若 (有无, 尚无, 如无); the same for
未发生 / 未出现 …: 「未发生行政复议被纠错的情况」 is not none. 「未收到申请人…」 is no statement.
Two kinds named together each with its own verb (「被申请行政复议、提起行政诉讼的情况」) are none of
both; so is 「未因政府信息公开被申请行政复议或提起行政诉讼」 (未因 only with disclosure itself as
the cause). Cases for one reason (因 naming another cause in the statement's clause: 「因逾期
答复被申请行政复议1件」, 「未发生因答复不及时被申请行政复议的情况」) are no figure of all the
cases: not compared (``for_one_cause``). A 上年结转 figure after cases were named, naming no
申请 (「行政诉讼案件2件，上年结转1件」), is of cases, not applications; and a 复议 / 诉讼 figure
beside such carried cases is not compared (which of them 表四 counts is not said).

**Figures.** Digits (3,119) or Chinese numerals (二十一, 两), in 件 or 宗 (cases in 起 too;
applications in 个 or 条 when the figure ends its clause, not 10个工作日), or with no unit after
为 / 是 at its clause's end (「行政复议、行政诉讼案件数量均为0」, 「申请数量为零」; not 为0%, nor
of a share or a time: 占比为10, 期限为20) — not
a lone 一件 (「答复一件、规范一件」) — and never an approximate one (约, 近, 超过, 不足 20件;
20件以上, 左右; 两三件, 三四十件).

**Including the carried.** A received figure is 本年新收 + 上年结转 when its clause says it includes
last year's (含上年结转, 含上年度未办结的, 含往年结转, 含跨年度申请 …), right after the figure —
or at the start of the next sentence — (包括上年结转的, 其中（本年新收…，）上年结转, ：新收…，结转,
Y件为上年结转), before it (连同上年结转的), or it is said of both years together (上年结转和本年新收).
Not when what says so goes on to a total of its own (「120件，包括上年结转6件在内共126件」,
「120件，含上年结转共126件」): that total includes them, the figure before is this year's, and
the total is no 上年结转 figure either.

A mismatch is a warning that quotes the sentence, names the table's cells and gives both
figures; it never changes what is read from the tables. A table figure that adds up a cell
holding text instead of a number (V01 at that cell) is not known, and not compared (``_known``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.checks.units import inputs_of
from nianbao.form.data import Number, Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.model import Cell
from nianbao.text import show_value, visible

# a figure in digits or Chinese numerals (二十一件), not an approximate one (约20件, 超过20件,
# 20件以上, 20件左右, 两三件, 三四十件: two digits side by side are two figures, 「二〇」 is no
# such) nor one of 每一件, 第一件; a lone 一件 is prose (「答复一件、规范一件」)
_CN_DIGITS = dict(
    zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_CN_CHARS = "".join(_CN_DIGITS) + "十百千万"
_ONE_TO_NINE = "一二两三四五六七八九"
_NOT_BEFORE = "约近逾过足到上数成每逐第统唯同单这那某任几"  # 约20件, 超过, 不足, 上千件, 每一件
_UNITS = "件起宗个条"  # 个 and 条 only of applications, at a clause's end: ``_APPLICATION_PIECES``
_NOT_ONE = f"(?!一[{_UNITS}])"
# Digits: a count of at most 12 digits, thousands set off by , or ， in groups of three
# (「1，013件」 is 1013, never 13); a longer run of digits is no count (and int() refuses
# more than 4,300 digits).
_N = (
    rf"(?<![\d{_CN_CHARS}{_NOT_BEFORE}])(?<!\d[,，])"
    rf"(?P<n>\d{{1,3}}(?:[,，]\d{{3}}){{1,4}}(?!\d)|\d{{1,12}}"
    rf"|{_NOT_ONE}(?![{_CN_CHARS}]{{0,10}}[{_ONE_TO_NINE}]{{2}})[{_CN_CHARS}]{{1,12}})"
    rf"(?=[{_UNITS}](?!以上|以下|左右|上下|之多|旨|教))"
)
# the unit of a figure: 件, or 宗 (as 广东's reports count); cases are counted in 起 too
_PIECES = "[件宗]"
_CASES = "[件起宗]"
# ... of cases, 一件 is a figure too: 「被申请行政复议一件」
_N_CASES = _N.replace(_NOT_ONE, "")
# A count is often said with no unit, after 为 / 是 (or a list's colon: 「行政复议：0」) at its
# clause's end (「行政复议、行政诉讼案件数量均为0」, 「政府信息公开申请数量为零」): a figure too
# — never 为0%, 为1份, 为2021年
_UNIT_AHEAD = _N[_N.rindex("(?=") :]
_BARE_END = r"(?=$|[，,。；;])"


# What a figure said with no unit may measure besides a count (「结转下年度的申请占比为10」,
# 「…申请期限为20」): it is no count of the table
_MEASURES = ("率", "比例", "占比", "比重", "期限", "时限", "天数", "用时", "时长", "增幅", "降幅")


def _counted(said: str, n: str = _N, unit: str = _PIECES) -> tuple[re.Pattern[str], ...]:
    """The patterns of a figure ``n`` in ``unit`` after the words ``said``, and of the same
    figure with no unit after 为 / 是 or a colon at its clause's end."""
    bare = n.replace(_UNIT_AHEAD, _BARE_END)
    return re.compile(rf"{said}{n}{unit}"), re.compile(rf"{said}(?<=[为是：:]){bare}")


# ... right after 收到 / 接到 (「收到99件申请」), 到 is the verb's, not 达到's
_N_AFTER_VERB = _N.replace(_NOT_BEFORE, _NOT_BEFORE.replace("到", ""), 1)
# Applications are counted in 个 and 条 too (「受理申请99个」), when the figure ends its clause:
# not 「10个工作日」
_APPLICATION_PIECES = rf"(?:{_PIECES}|[个条](?=$|[，,。；;、（(]))"
# (「行政复议：0件」: a colon before the figure, as a list of the figures prints it)
_TAIL = r"(?:共计|共|合计|总计|总数|数量|件数|数)?(?:均|都)?(?:为|达|是)?[：:]?"
# At most this many characters between a statement's verb and its figure (「收到公民、法人和其他
# 组织提出的政府信息公开申请」: 19): bounded, so that a long line is searched in linear time.
_WORDS = 40
# At most this many characters either side of a statement are looked at for its subject and
# parts (longer than any sentence of prose): a long joined line is checked in linear time.
_CONTEXT = 300
# a short aside between a noun and its figure: 申请（含上年结转）690件
_ASIDE = r"(?:[（(][^）)]{0,12}[）)])?"
# a received figure said to include last year's carried applications, right after it
# (「申请（含上年结转）690件」, 「690件（含上年结转27件）」, 「126件，含上年度未办结的6件」,
# 「（含往年结转6件）」, 「（含跨年度申请6件）」); not 「不含」「未包括」
_LAST_YEARS = r"(?:上一?年度?|(?:19|20)\d\d年度?)"  # 上年结转, 2020年结转
_FROM_LAST = rf"(?:(?:{_LAST_YEARS}|往年|以往年度?)的?(?:结转|转入|遗留|未办结|未办理完毕)|跨年度?)"
_WITH_CARRIED = re.compile(rf"(?<![不未])(?:含|包括|包含){_FROM_LAST}")
# ... or right after the figure: 「690件，包括上年结转的27件」, 「16件（其中上年结转2件）」, or
# after this year's part 「23件，其中，本年新收21件、上年结转2件」, 「126件：新收120件，上年结转
# 6件」 — where 结转 alone is last year's (「其中新收120件，结转6件」)
# (「126件（本年度新收120件、上年度结转6件）」, 「126件，其中6件为上年结转」, 「126件，6件为上年度结转
# 申请」)
_NOW = r"(?:本年度?|当年|今年)?"
_THIS_YEARS = rf"(?:{_NOW}|(?:19|20)\d\d年)新(?:收|申请)[^，,、；;）)]{{0,20}}[，,、]"
_SOME = rf"[\d{_CN_CHARS}]{{1,15}}{_PIECES}"
_THEN_CARRIED = re.compile(
    rf"[（(，,：:]?(?:(?:其中[，,：:]?(?:含|包括|包含)?|(?<=[（(：:])){_THIS_YEARS}"
    rf"(?:{_FROM_LAST}|结转(?![下至到]))"
    rf"|(?:其中[，,：:]?(?:含|包括|包含)?|含|包括|包含|其中{_SOME}(?:为|是|系|属)?|(?<=[（(])"
    rf"|(?<=[，,（(]){_SOME}(?:为|是|系|属)|(?<=[（(]){_SOME}为本年度?新收[，,、]{_SOME}为)"
    rf"{_FROM_LAST})"
)
# ... unless what says so goes on to a total of its own, which is the figure that includes them:
# 「120件，包括上年结转6件在内共126件」, 「120件，含上年结转共126件」 (120 is this year's)
_INTO_TOTAL = re.compile(
    rf"的?(?:{_SOME})?(?:在内)?[，,]?(?:共计|共|合计|总计|一共|总共)(?:需|要)?(?:办理|处理)?"
    rf"(?:为|达|有)?{_SOME}"
)
# ... and the 上年结转 of such a total is no figure of the carried applications
_INCLUDING = re.compile(r"(?:含|包括|包含|连同|加上|算上)了?$")
_TOTAL_WORDS = ("在内", "共", "合计", "总计")
# ... or said of both years' applications together: 「受理上年结转和本年新收的申请126件」, 「新收及
# 上年结转申请126件」 — the total, never the carried figure
_BOTH_YEARS = re.compile(
    rf"{_LAST_YEARS}结转的?(?:申请)?[和及与、]{_NOW}新收|{_NOW}新收的?(?:申请)?[和及与、]{_LAST_YEARS}结转"
)
_COMMA = re.compile(r"[，,]")
# ... or before it: 「连同上年结转的6件，全年共受理申请126件」
_CARRIED_BEFORE = re.compile(rf"(?:连同|加上|算上|包括|包含)(?:了)?{_FROM_LAST}")
_CARRIED = "三:2:c7"
# Last year and next year named as such or by their number, checked against the report's year
# (``named_years``): 「2020年结转申请5件」, 「结转至2022年度继续办理」 in 2021's report
_LAST_YEAR = r"(?:上一?年度?|(?<!\d)(?P<last>(?:19|20)\d\d)年度?)"
_NEXT_YEAR = r"(?:(?:至|到)?下一?年度?|(?:至|到)(?P<next>(?:19|20)\d\d)年度?)"
# a reason between a figure and what became of it: 「16件因未到答复期限，结转至下年度」
_BECAUSE = r"(?:因[^，,。；;：:\d]{0,16}[，,])?"
_NOT_APPLICATION = ("复议", "诉讼")
NARROWER = (
    "代表",
    "本级",
    "政府办",
    "办公室",
    "部门",
    "各单位",
    "所属",
    "下属",
    "乡镇",
    "街道",
    "社区",
    "县直",
    "区直",
    "市直",
    "各镇",
    "各乡",
    "机关",
    "直属",
    "处室",
    "分局",
    "二级单位",
    "局、",
    "分别",
)
OTHER_TIME = ("去年", "累计", "往年", "前一年", "平均", "月均", "年均", "单月", "历年", "多年")
# A comparison with another year: its clause states a difference, not this year's figure.
_COMPARISON = re.compile(
    r"(?:较|比|与|同|对比)(?:上一?年度?|去年|(?:19|20)\d\d年度?)(?:同期)?"
    r"(?:相比|相较|比较|对比)?|同比|环比"
)
# A change said of a figure: 「办结申请增加18件」, 「多出18件」.
CHANGE = ("增加", "减少", "增长", "下降", "上升", "降低", "多出", "少了", "持平", "增多")
# last year (or the year before) named before the figure: 「上年无行政复议案件」; not 上年结转,
# which is this year's quantity of last year's applications
_OTHER_YEAR = re.compile(r"上一?年(?!度?结转)|前年")
_YEAR = re.compile(r"((?:19|20)\d\d|[一二][〇零九][〇零一二三四五六七八九]{2})年")
# Several years, or a time other than the year: 「三年来」, 「近年来」, 「过去三年」, 「前两年」,
# 「上个年度」, 「“十四五”以来」, 「《条例》实施以来」, 「自平台上线以来」, 「疫情期间」 (not
# 「今年以来」, 「报告期间」); up to the day of writing, in the next year (「截至目前」, 「至今」);
# since a reorganisation in the year (「机构改革后」).
_OTHER_PERIOD = re.compile(
    r"截[至止](?:目前|发稿|报告)|至今|迄今|目前为止|(?:改革|组建|合并|挂牌|成立)后"
    r"|[一二两三四五六七八九十\d]+年(?:来|间)|近(?:几|些|[一二两三四五六七八九十\d]+)?年|过去"
    r"|前[一二两三四五六七八九十\d]+年|上一?个年度?|十[一二三四五六七八九]五"
    r"|(?:实施|施行|修订|颁布|成立|开展|上线|开通|运行|启用|设立)[^，,。；;]{0,8}以来"
    r"|自(?!今年|本年)[^，,。；;]{0,24}以来|(?<!报告)期间"
)
# A part of the year: 第一季度, 上半年, 1-6月, 6月份, 3月 — but not the year's own bounds
# (1月1日至12月31日, 1-12月, 截至12月底), which are said of the whole year.
_PART_OF_YEAR = re.compile(r"季度|半年|月份|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月")
# (not the 1 of 11月, 十一月: 「11月1日至12月31日」 is two months)
_YEAR_BOUNDS = re.compile(
    r"(?<![\d十])(?:(?:1|一)月(?:1|一)日|(?:1|一)月?[-－—~～至到](?:12|十二)月份?)"
    r"|(?:12|十二)月(?:31|三十一)日|(?:12|十二)月(?:底|末)"
)
# A body named, with the character before its kind (区政府, 源局, 健委, 镇人民政府): another body
# than the reporting unit unless the unit's name holds it — not a party committee leading (区委,
# 党委), nor words ending so (格局, 大局, 委托, 政府信息, 以…为中心).
_BODY = re.compile(
    r"[\u4e00-\u9fff](?:(?:人民)?政府(?!信息|网|公报|门户)|委员会|(?<![省市区县镇乡党])委(?![托员])"
    r"|(?<![格大全布结当开变新僵])局|厅|法院|检察院|医院|(?<!为)中心|公司|大队|支队)"
)
# What is said before a figure of another figure or of none (``aside``): a title, an aside with a
# figure, another year's figure or report
_ASIDES = re.compile(
    rf"《[^《》]{{0,60}}》|[（(][^（()）]{{0,40}}?{_SOME}[^（()）]{{0,20}}[）)]"
    r"|(?:上一?年度?|去年|前年|(?:19|20)\d\d年度?)(?:同期)?(?:为|是)"
    rf"{_SOME}|(?:上一?年度?|去年|(?:19|20)\d\d年度?)(?:的)?(?:年度)?(?:工作)?(?:报告|年报)"
)
# The whole of a government's place (全区各级行政机关, 全区各部门) and the level of the
# reporting government (哈尔滨市道外区人民政府: 区)
_ALL_BODIES = re.compile(
    r"全(?P<level>[省市区县旗镇乡])(?:范围内)?(?:各级|各){0,2}(?:行政机关|政府部门|机关|部门|单位)"
)
_GOVERNMENT_OF = re.compile(r"(?P<level>[省市区县旗镇乡])(?:人民)?政府$")
# A statement of 本年新收 or 上年结转 right after 其中, or after this year's part: the table's
# row, not a part (「其中新收121件、上年结转5件」)
_NEW = re.compile(r"(?:本年度?)?新收")
_ROW_SPLIT = re.compile(rf"[，,：:]?(?:{_THIS_YEARS})?的?(?:政府信息公开|依申请公开)?的?(?:申请)?")
# A total said again after a 其中 list: 「…，共答复110件」
_TOTAL_AGAIN = re.compile(r"[，,](?:共|总共|合计|全年共?)")
# The body speaking of itself (本部门, 我单位, 本机关, 我街): never a narrower scope.
_ITSELF = re.compile(r"[本我](?:部门|单位|机关|局|委|办|街道|街|镇|乡|区|市|县)")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_OTHER_DIGITS = re.compile(r"(?![0-9])\d")
# A line ending in one of these ends its sentence; a heading is a sentence of its own.
_ENDS = ("。", "；", ";", "！", "!", "？", "?", "：", ":")
# How a heading without a number ends: 「政务服务申请办理情况」 is no sentence going on.
_HEADING_WORDS = ("情况", "工作", "概况", "概述", "问题", "措施", "事项", "说明", "安排", "目录")
_HEADING = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、．.](?!\d)"
    r"|第[一二三四五六七八九十\d]{1,3}[章节部分])"
)
# A statement's clause starts after the last comma, colon or opening parenthesis before it.
_CLAUSE_START = re.compile(r"[，,（(：:]")
# Words after a figure that describe it: up to the next comma, parenthesis or 、.
_AFTER_END = re.compile(r"[，,（(：:、]")
# One kind or way of the quantity, not all of it (applications only): 「依法延期答复…3件」,
# 「通过网上受理申请10件」 — in the clause before the verb or between the verb and the figure.
MANNER = ("延期", "延长", "逾期", "超期", "当场", "尚未")
# Applications of one kind of applicant, topic or handling: 「收到自然人申请100件」, 「收到涉及
# 房屋征收的申请80件」, 「受理重复申请4件」 — unless every applicant is named (「公民、法人和其他
# 组织提出的」).
KINDS = (
    "涉及", "关于", "重复", "不属于", "信访", "举报", "投诉", "补正", "咨询", "收费", "收取",
    "处理费", "出版物",
)  # fmt: skip
# One kind of applicant is a part (「收到自然人申请100件」); two or more named together are
# every applicant (「公民、法人和其他组织」, 「个人和企业」, 「群众和企业」). Lawyers (律师事务所, the
# form's 法律服务机构), companies and journalists are applicants of one kind too.
APPLICANTS = (
    "公民",
    "自然人",
    "个人",
    "群众",
    "法人",
    "企业",
    "组织",
    "机构",
    "律师",
    "公司",
    "记者",
)
# Applications of another kind than disclosure (行政许可申请, 法律援助申请), or another object
# of a 答复 / 办结 (行政复议答复, 人大建议, 网民留言): no statement of these quantities.
NOT_DISCLOSURE = (
    "许可", "审批", "援助", "租赁", "住房", "低保", "供养", "救助", "登记", "认定", "政务服务",
    "补贴", "复议", "诉讼", "提案", "建议", "留言", "来信", "来电", "执照", "证照", "依申请事项",
    "依申请类",
)  # fmt: skip
# A clause before the figure's that ends with 中 after a figure names what the figure is a
# part of: 「2021年收到的120件申请中，已办结107件」 (not 「在依申请公开工作中，…」)
_AMONG = re.compile(rf"[\d{_CN_CHARS}]{_PIECES}[^，,]*中[，,：:]?$")
CHANNEL = (
    "通过", "网上", "网络", "在线", "线上", "线下", "当面", "现场", "窗口", "信函", "来信",
    "来函", "邮寄", "邮件", "邮政", "传真", "网站", "平台", "电话", "口头",
)  # fmt: skip
# ... unless the channels are said to be all of them: 「通过邮寄、网络提交的各类…申请」
ALL_CHANNELS = ("等", "各类", "各种", "各个", "多种", "各渠道", "所有", "全部")
# The 依申请公开 procedure as a whole is no channel: 「通过依申请公开渠道共受理申请21件」
_THE_PROCEDURE = re.compile(r"通过依申请(?:公开)?的?(?:渠道|途径|方式|程序)?")
# One source of applications: 「收到上级转办的政府信息公开申请3件」 — a part, unless the
# sources are said to be all of them (「各类」, not a mere 「等」: 「省、市等上级机关转交的」).
SOURCE = ("转办", "转来", "转交", "转送", "转递", "交办", "移送", "移交", "批转")
ALL_SOURCES = ("各类", "各种", "各个", "多种", "各渠道", "所有", "全部")
# Two quantities named together before one figure (「行政复议、行政诉讼案件共9件」): a figure of
# neither. The joiner right before the
# statement's name, with no figure before the joiner (「行政复议2件、行政诉讼7件」 is a list).
_JOINER = re.compile(r"(?:以及|[、和及与或暨/／])$")
_FIGURE_END = re.compile(rf"[\d{_CN_CHARS}](?:件|起|次|个|项|宗)?$")
# A handled figure's verb before a received or carried one: 「办结本年新收申请13件」 is 办结.
_HANDLED = ("办结", "答复", "办理")
# Applications of one year only, between a handled figure's verb and its figure.
_OF_ONE_YEAR = ("结转", "新收", "收到", "受理")
# One outcome of the handled applications (表三 （一）–（六）): 「不予公开答复2件」
OUTCOMES = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
_CARRIED_NOUN = re.compile(r"(?<![含括])上一?年度?结转")
_UP_OR_DOWN = re.compile(r"(?:增加|减少|增长|下降|上升|降低)(?:到|至|为)")
_QUOTED_CHARS = 90
# None of the whole of 复议 or 诉讼 (0): 「无（因）政府信息公开（引起的）行政复议、行政诉讼案件」
# — 无 not in 有无, 尚无, 毫无, 如无 …; only what this says about the cases between 无 and the
# clause's end (none 被纠正, none 败诉 is not none at all).
_ABOUT_DISCLOSURE = r"(?:(?:因|涉及|有关|关于)?(?:政府)?信息公开(?:工作)?(?:引起|引发|产生)?的?)?"
_NIL = rf"(?<![有尚毫如若倘])无(?P<what>{_ABOUT_DISCLOSURE})"
# One outcome of the reviews or lawsuits (表四's columns): 「被依法纠错的行政复议案件1件」.
CASE_OUTCOMES = ("纠错", "纠正", "维持", "驳回", "撤销", "确认违法", "责令", "审结", "结果", "败诉")
# None of a quantity: 无 / 没有 (not 有无, 尚无, 毫无, 如无 …) right before its name, and nothing
# after the applications to the clause's end (「无上年结转的申请」, not 「无…申请被驳回」).
_NONE = r"(?<![有尚毫如若倘并])(?:无|没有)"
_APPLICATIONS = r"(?:政府信息公开|依申请公开|信息公开)?(?:的)?申请"
_NONE_END = r"(?:事项|件|宗)?(?:的?(?:情况|情形))?(?=$|[，,。；;])"
# ... of this year's applications: 「本年度无依申请公开（事项）」, 「未发生政府信息公开申请」
_NO_APPLICATIONS = (
    rf"(?:{_NONE}|(?:未|没有)(?:发生|出现|产生))(?P<what>)(?:{_APPLICATIONS}|依申请公开){_NONE_END}"
)
_REVIEW = r"(?:被申请)?行政复议(?:案件|申请)?"
_SUIT = r"(?:被提起)?行政诉讼(?:案件)?"
# the second of the two named together, with its own verb or none: 「被申请行政复议、（被）提起
# 行政诉讼」, 「行政诉讼和（申请）复议」
_ANY_REVIEW = r"(?:被?申请)?(?:行政)?复议(?:案件|申请)?"
_ANY_SUIT = r"(?:被?提起)?(?:行政)?诉讼(?:案件)?"
_AND = r"[、和及与或]"
_NIL_END = r"(?:等?的?(?:情况|情形))?(?=$|[，,。；;])"
# Nothing happened (「未发生…行政复议、行政诉讼案件」), not the case of one outcome (「未发生行政
# 复议被纠错的情况」, 「未出现行政诉讼败诉」): only the cases up to the clause's end.
_NOT_HAPPENED = (
    rf"(?:未发生|没有发生|未出现|未收到|未产生|未被|没有被)(?P<what>[^，,。；;：:]{{0,{_WORDS}}}?)"
)
# ... nor because of disclosure (「未因政府信息公开被申请行政复议或提起行政诉讼」): none at all
# only when disclosure itself is the cause (not 「未因答复不及时被申请行政复议」, one reason)
_NOT_CAUSED = r"(?:未|没有)因(?P<what>(?:政府)?信息公开(?:工作)?)"
# ... and none for one reason is no figure of all the cases: 「未发生因答复不及时被申请行政复议的
# 情况」 (因 naming anything but disclosure itself)
_OTHER_CAUSE = re.compile(r"因(?!(?:政府)?信息公开|依申请公开)")
# The body as 复议机关 (「区政府作为行政复议机关，全年收到行政复议申请80件」): the reviews it
# decides, not the reviews of it that 表四 counts
REVIEW_ORGAN_VERBS = ("受理", "审理", "办理", "办结", "审结", "收到", "接收", "接到", "新收")
# Both kinds of cases given one figure each (「行政复议、行政诉讼案件均为0件」, 「…各5件」,
# 「…案件数量均为0」): a figure of each.
_BOTH_NAMED = (
    rf"(?:被申请)?行政复议(?:案件)?{_AND}(?:被提起)?行政诉讼(?:案件)?(?P<what>)(?:数量|数)?"
    rf"(?:均|都|各)(?:为|是|有)?"
)
# All the body's cases, then those of disclosure (「行政复议案件8件，其中涉及政府信息公开的3件」):
# the first figure counts every review or lawsuit, the table only the second
_OF_DISCLOSURE = r"[，,（(]其中(?:涉及|关于|属于|因)?(?:(?:政府)?信息公开|依申请公开)"
_THEN_OF_DISCLOSURE = re.compile(_OF_DISCLOSURE)


def _of_disclosure(cases: str) -> str:
    """The figure of disclosure cases after all of ``cases``: 「行政诉讼案件共20件，其中政府信息
    公开案件3件」 is 3."""
    return (
        rf"{cases}(?:案件|申请)?{_TAIL}[\d{_CN_CHARS}]{{1,15}}{_CASES}{_OF_DISCLOSURE}(?P<what>)"
        rf"[^，,。；;）)\d]{{0,8}}?{_N_CASES}{_CASES}"
    )


def _cases_counted(cases: str) -> str:
    """The figure before the cases it counts: 「共发生3起政府信息公开行政复议案件」 — the cases
    to the clause's end (not 「…案件被纠错」, nor 「…行政复议、行政诉讼案件」, a figure of
    both); not after 收到 / 受理, which the body as 复议机关 says, nor 另有 / 还有 (more)."""
    return (
        rf"(?:发生|出现|产生|引发|共有)了?(?:共计|共|合计)?{_N_CASES}{_CASES}(?P<what>{_ABOUT_DISCLOSURE})"
        rf"{cases}(?:案件)?(?=$|[，,。；;（(])"
    )


_REVIEW_CASES = rf"(?:{_REVIEW}(?:{_AND}{_ANY_SUIT})?|{_SUIT}{_AND}{_ANY_REVIEW}){_NIL_END}"
_SUIT_CASES = rf"(?:{_SUIT}(?:{_AND}{_ANY_REVIEW})?|{_REVIEW}{_AND}{_ANY_SUIT}){_NIL_END}"


# The figure before the applications it counts: 「共收到99件政府信息公开申请」, 「办结99件依申请
# 公开事项」 — only when they are named disclosure applications (not 「99件各类申请」, 「99件依申请
# 事项」) and end the clause or go on to what became of them (not 「…申请材料」, 「…申请中」).
_COUNTED_APPLICATIONS = (
    rf"了?(?:共计|共|合计|总计)?{_N_AFTER_VERB}[件宗个条](?P<what>(?:各类|各种)?(?:(?:政府)?信息公开的?申请"
    r"|依申请公开(?:的?(?:申请|事项))?))(?=$|[，,。；;、（(并均且已全])"
)
# 「收到并办结申请99件」: the figure of both quantities — received, and handled of those
_RECEIVED_VERBS = "(?:收到|受理|接收|接到|新收)"
_JOINED = r"(?:并|且|和|及)(?:依法|按时|按期|全部|均)?"
_AND_HANDLED = rf"{_JOINED}(?:办结|答复|办理完毕)"
_THEN_HANDLED = re.compile(rf"^{_AND_HANDLED}")
_RECEIVED_AND = re.compile(rf"{_RECEIVED_VERBS}{_JOINED}$")


# Quantities named in a list, then their figures in the same order (「收到、办结政府信息公开申请分别
# 为130件和113件」): each name one of these, the words after the list no other kind of
# application (not 「受理、办结行政许可申请分别为…」), as many figures as names (``_one_each``).
_ITEMS = {
    Rule.N01: r"(?:本年度?)?(?:新收|收到|受理)的?(?:申请)?",
    Rule.N02: r"上一?年度?结转的?(?:申请)?",
    Rule.N03: r"(?:办结|答复)的?(?:申请)?",
    Rule.N04: r"结转(?:至|到)?下一?年度?(?:继续办理)?的?(?:申请)?",
    Rule.N05: r"(?:被申请)?行政复议(?:案件)?",
    Rule.N06: r"(?:被提起)?行政诉讼(?:案件)?",
}
_ANY_ITEM = "|".join(_ITEMS.values())
_LIST_AND = r"[、和及与]"
_FIGURES_AND = r"(?:[、，,]|和|及|与)"
_SOME_CASES = rf"[\d{_CN_CHARS}]{{1,15}}{_CASES}"


def _respectively(rule: Rule) -> tuple[re.Pattern[str], ...]:
    """The patterns of ``rule``'s figure as the k-th of a 分别 list (k < 5)."""
    return tuple(
        re.compile(
            rf"(?P<items>(?:(?:{_ANY_ITEM}){_LIST_AND}){{{k}}}(?:{_ITEMS[rule]})(?P<what>)"
            rf"(?:{_LIST_AND}(?:{_ANY_ITEM})){{0,5}})"
            r"(?:(?:政府信息公开|依申请公开|信息公开)?的?申请|案件)?(?:数量|数)?(?:分别|各自)(?:为|是|有|达)?"
            rf"(?P<figures>(?:{_SOME_CASES}{_FIGURES_AND}){{{k}}}{_N_CASES}{_CASES}"
            rf"(?:{_FIGURES_AND}{_SOME_CASES}){{0,5}})"
        )
        for k in range(5)
    )


def _one_each(match: re.Match[str]) -> bool:
    """Whether a 分别 list has as many figures as names (always, for another statement)."""
    said = match.groupdict()
    if said.get("items") is None:
        return True
    names = len(re.findall(_LIST_AND, said["items"]))
    return names == len(re.findall(_CASES, said["figures"])) - 1


@dataclass(frozen=True)
class Figure:
    """One figure a report states in words, and the cells of the table it must equal."""

    rule: Rule
    spoken: str  # how the message names the statement: 收到申请
    keys: tuple[str, ...]  # the table's figure is the sum of these cells
    patterns: tuple[re.Pattern[str], ...]  # a match's group "n" is the number, absent: 0
    application: bool = True  # about applications (a 复议/诉讼 figure is not one)
    # how a statement starting with the quantity's name (not a verb) starts: one after a
    # joiner may be a figure of two quantities together (``combined``)
    names: tuple[str, ...] = ()
    # words in the statement's clause that make its figure another one than the table's: one
    # part of the quantity (复议后起诉, 不予公开答复)
    unless: tuple[str, ...] = ()


FIGURES: tuple[Figure, ...] = (
    Figure(
        Rule.N01,
        "收到申请",
        ("三:1:c7",),
        (
            # 「受理依申请公开21件」
            *_counted(
                rf"{_RECEIVED_VERBS}(?P<what>[^，,。；;：:]{{0,{_WORDS}}}?)申请(?:公开(?:事项)?)?{_ASIDE}{_TAIL}",
                unit=_APPLICATION_PIECES,
            ),
            # 「共收到99件政府信息公开申请」, 「共有99件政府信息公开申请」
            re.compile(rf"(?:{_RECEIVED_VERBS}(?:{_AND_HANDLED})?|共有){_COUNTED_APPLICATIONS}"),
            # no verb: 「本区政府信息公开申请数量为99件」, 「全年政府信息公开申请共计99件」 —
            # received, when nothing in its clause before it names another quantity (办结,
            # 答复, 结转, 处理, 转办)
            *_counted(
                rf"(?<![^，,。；;：:（(])(?P<what>[^，,。；;：:转办答处]{{0,{_WORDS}}}?)(?:政府信息公开|依申请公开|信息公开)的?申请"
                rf"(?:(?:数量|总量|总数|件数|数)(?:共计|共|合计)?|共计|共|合计)(?:为|达|是)?[：:]?",
                unit=_APPLICATION_PIECES,
            ),
            # not 「未收到申请人…的投诉」, nor none of one kind (「未收到重复申请」: ``is_part``)
            re.compile(
                rf"(?:未|没有)(?:收到|受理|接到|接收)(?P<what>[^，,。；;：:]{{0,{_WORDS}}}?)申请(?!人)"
            ),
            # 「本年度无政府信息公开申请」, 「本年度无依申请公开」
            re.compile(_NO_APPLICATIONS),
            # this year's part of a total: 「126件，其中新收121件、上年结转5件」, 「126件：新收121件」
            re.compile(
                rf"(?:(?<=其中)|(?<=其中[，,：:])|(?<=[（(：:])){_NOW}新收(?P<what>){_TAIL}{_N}{_PIECES}"
            ),
            *_respectively(Rule.N01),
        ),
    ),
    Figure(
        Rule.N02,
        "上年结转",
        ("三:2:c7",),
        # not past a closing parenthesis: 「（含上年结转）690件」 is a received figure (N01)
        (
            *_counted(rf"{_LAST_YEAR}结转(?P<what>[^，,。；;：:\d）)]{{0,{_WORDS}}}?){_TAIL}"),
            # 「无上年结转的申请」: none
            re.compile(rf"{_NONE}(?P<what>)上一?年度?结转的?{_APPLICATIONS}{_NONE_END}"),
            *_respectively(Rule.N02),
        ),
        names=("上年", "上一年"),
    ),
    Figure(
        Rule.N03,
        "办结（答复）",
        ("三:3.7:c7",),
        # 「办理结果总计113件」: the form's own name of the row (nianbao's own sentence)
        (
            *_counted(
                rf"(?:办结|答复|办理完毕|处理完毕|办理结果)(?P<what>[^，,。；;：:（(\d]{{0,{_WORDS}}}?){_TAIL}"
            ),
            re.compile(rf"(?:办结|答复|办理完毕|处理完毕){_COUNTED_APPLICATIONS}"),
            *_respectively(Rule.N03),
        ),
        unless=OUTCOMES,
    ),
    Figure(
        Rule.N04,
        "结转下年度",
        ("三:4:c7",),
        (
            *_counted(rf"结转{_NEXT_YEAR}(?P<what>[^，,。；;：:\d]{{0,{_WORDS}}}?){_TAIL}"),
            re.compile(
                rf"{_N}{_PIECES}(?P<what>{_BECAUSE}[^，,。；;：:\d]{{0,8}}?)(?:顺延|结转|转入){_NEXT_YEAR}"
            ),
            # 「无结转下年度的申请」, 「没有结转下年度继续办理的申请」: none
            re.compile(
                rf"{_NONE}(?P<what>)(?:需要?)?结转(?:至|到)?下一?年度?(?:继续办理)?的?{_APPLICATIONS}{_NONE_END}"
            ),
            *_respectively(Rule.N04),
        ),
        names=("结转",),
    ),
    Figure(
        Rule.N05,
        "行政复议",
        ("四:1:ar5",),
        (
            *_counted(rf"行政复议(?P<what>(?:案件|申请)?){_TAIL}", _N_CASES, _CASES),
            re.compile(_of_disclosure("行政复议")),
            re.compile(_cases_counted("行政复议")),
            *_counted(_BOTH_NAMED, _N_CASES, _CASES),
            re.compile(_NOT_HAPPENED + _REVIEW_CASES),
            re.compile(_NOT_CAUSED + _REVIEW_CASES),
            re.compile(_NIL + _REVIEW_CASES),
            *_respectively(Rule.N05),
        ),
        application=False,
        names=("行政复议",),
        unless=CASE_OUTCOMES,
    ),
    Figure(
        Rule.N06,
        "行政诉讼",
        ("四:1:ld5", "四:1:lr5"),
        (
            *_counted(rf"行政诉讼(?P<what>(?:案件)?){_TAIL}", _N_CASES, _CASES),
            re.compile(_of_disclosure("行政诉讼")),
            re.compile(_cases_counted("行政诉讼")),
            *_counted(_BOTH_NAMED, _N_CASES, _CASES),
            re.compile(_NOT_HAPPENED + _SUIT_CASES),
            re.compile(_NOT_CAUSED + _SUIT_CASES),
            re.compile(_NIL + _SUIT_CASES),
            *_respectively(Rule.N06),
        ),
        application=False,
        names=("行政诉讼",),
        # 出庭应诉: every lawsuit the body's heads attend, a measure of 法治政府
        unless=(
            "复议后",
            "经复议",
            "经过复议",
            "直接起诉",
            "直接提起",
            *CASE_OUTCOMES,
            "出庭",
            "应诉",
        ),
    ),
)


def narrative_findings(ret: Return) -> list[Finding]:
    """N01–N06 for a return read from a document (``ret.narrative``); [] for a workbook."""
    if not ret.narrative:
        return []
    completed = ret.completed()
    found: list[Finding] = []
    seen: set[tuple[Rule, Number, str]] = set()
    said = sentences(ret.narrative)
    for at, sentence in enumerate(said):
        before = said[at - 1] if at else ""
        after = said[at + 1] if at + 1 < len(said) else ""
        for figure in FIGURES:
            if any(key not in completed for key in figure.keys):
                continue
            statements = [
                (near, match, _keys(figure, near, match, after))
                for near, match in _statements(figure, sentence, before)
                if named_years(match, ret.year)
                and in_scope(near[: match.start()] + match.group("what"), ret, figure, match[0])
                and not is_part(figure, near, match)
                and not (completed.get(_CARRIED) and received_and_handled(figure, near, match))
            ]
            # several figures for one quantity: parts, or a total among parts (a total that
            # includes the carried applications is another quantity than this year's)
            figures: dict[tuple[str, ...], set[int]] = {}
            for _, match, keys in statements:
                figures.setdefault(keys, set()).add(_number(match))
            for near, match, keys in statements:
                if len(figures[keys]) > 1 or not _known(ret, keys):
                    continue
                table = sum((completed[key] for key in keys), 0)
                stated = _number(match)
                if stated == table or (figure.rule, stated, sentence) in seen:
                    continue
                seen.add((figure.rule, stated, sentence))
                found.append(_finding(ret, figure, keys, near, match, stated, table, completed))
    return found


def _known(ret: Return, keys: Sequence[str]) -> bool:
    """Whether the table's figure that ``keys`` add up is known: no cell it adds holds text
    instead of a number (「103 5」, a figure struck out alone: V01 at that cell), which counts 0
    in the sums — a sum short of it is no figure of the table to set the text against."""
    return not any(
        isinstance(ret.values.get(cell), str) for key in keys for cell in inputs_of(ret.form, key)
    )


def named_years(match: re.Match[str], year: int | None) -> bool:
    """Whether the years a statement names for its quantity are the report's last and next
    (2020年结转 and 结转至2022年 in 2021's report); none named: True."""
    said = match.groupdict()
    return all(
        not said.get(name) or (year is not None and int(said[name]) == year + step)
        for name, step in (("last", -1), ("next", 1))
    )


def _keys(figure: Figure, sentence: str, match: re.Match[str], after: str) -> tuple[str, ...]:
    """The cells a statement's figure is the sum of: a received figure said to include last
    year's carried applications is 本年新收 + 上年结转."""
    if figure.rule is Rule.N01 and includes_carried(sentence, match, after):
        return (*figure.keys, _CARRIED)
    return figure.keys


def sentences(text: str) -> list[str]:
    """The text's sentences, white space and invisible characters removed (a PDF breaks lines
    inside sentences; a zero-width space inside 「1​0件」 shows 10, as in a table's cell). A
    line that ends without a sentence's end goes on into the next one (a web page's <br>, a
    text file wrapped by hand: 「…共收到申请」 / 「30件」), unless it is a heading (一、…)."""
    paragraphs: list[str] = []
    going_on = False
    # full-width digits read as digits; any other script's digits never make a figure
    # (「৪7」 looks like 87, int() reads 47: as in a table's cells, normalize.py)
    text = _OTHER_DIGITS.sub("\ufffd", visible(text).translate(_FULL_WIDTH_DIGITS))
    for line in text.splitlines():
        line = line.strip()
        if not line:
            going_on = False
            continue
        if going_on and not _heading(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        going_on = not _heading(line) and not line.endswith(_ENDS)
    return [
        "".join(part.split())
        for paragraph in paragraphs
        for part in _SENTENCE_END.split(paragraph)
        if part.strip()
    ]


def _heading(line: str) -> bool:
    """A heading's line: numbered (一、 （一） 1.) and short, not a paragraph that starts so;
    or a short line ending as headings do (…情况)."""
    short = len(line) <= 30 and "。" not in line
    return short and (_HEADING.match(line) is not None or line.endswith(_HEADING_WORDS))


def in_scope(subject: str, ret: Return, figure: Figure | None = None, statement: str = "") -> bool:
    """Whether a statement whose words before the figure are ``subject`` is about the
    reporting body as a whole, in the report's year (see the module docstring): anything said
    before it in the sentence counts (「2020年，我街道收到申请100件，办结98件」: both of 2020;
    「…120件，同比增长15%，办结申请150件」 is not compared, 宁可少比对，不误报) but for what is
    said of another figure (``aside``) and a 其中 that lists parts of another quantity
    (``under_part``: ``figure`` is the statement's, ``statement`` its words)."""
    own = "".join((ret.unit or "").split())
    # a comparison (同比, 较上年, 与2020年相比) speaks of the figure in its own clause, a
    # difference (同比减少2件), not of the period the sentence is about
    starts = [m.end() for m in _CLAUSE_START.finditer(subject)]
    clause = subject[starts[-1] if starts else 0 :]
    if _COMPARISON.search(clause) or any(word in clause for word in CHANGE):
        return False
    subject = _whole(_ITSELF.sub("", aside(subject)), own)
    if any(word in subject and word not in own for word in NARROWER) or another_body(subject, own):
        return False
    if figure is not None and under_part(subject, figure, statement):
        return False
    when = _COMPARISON.sub("", subject)
    if any(word in when for word in OTHER_TIME) or _OTHER_YEAR.search(when):
        return False
    if _OTHER_PERIOD.search(when) or part_of_year(when):
        return False
    years = {_year(said) for said in _YEAR.findall(when)}
    return not (ret.year is not None and years - {ret.year})


def aside(subject: str) -> str:
    """The words before a figure without what is said of another one or of no figure: a title
    (《…2020年政务公开工作要点》), an aside with its own figure (「（2020年为100件）」,
    「（区政府办公室收到40件）」), another year's figure (「上年为100件」) or report (上年度报告)."""
    return _ASIDES.sub("", subject)


def _whole(subject: str, own: str) -> str:
    """``subject`` without the words that name the whole of the reporting government's place
    (全区各级行政机关, 全区各部门 in 「哈尔滨市道外区人民政府」's report): no narrower body."""
    level = _GOVERNMENT_OF.search(own)
    if level is None:
        return subject
    return _ALL_BODIES.sub(lambda m: "" if m["level"] == level["level"] else m[0], subject)


def under_part(subject: str, figure: Figure, statement: str) -> bool:
    """Whether a 其中 before a statement makes it a part of the figure before 其中: always when
    the list names a body (「其中区政府收到120件，共办结110件」); not when the statement is a row of
    表三 itself right after 其中 (「126件，其中新收121件、上年结转5件」), a 复议 / 诉讼 figure
    after a list of applications (「其中当面申请20件，被申请行政复议5件」), or a total said again
    after the list (「其中网上申请80件、信函申请40件，共答复110件」)."""
    row = figure.rule is Rule.N02 or (figure.rule is Rule.N01 and _NEW.match(statement))
    for part in re.finditer("其中", subject):
        listed = subject[part.end() :]
        first = _COMMA.split(listed + statement, maxsplit=1)[0]  # what the list is of
        if _BODY.search(first):
            return True
        if row and _ROW_SPLIT.fullmatch(listed):
            continue
        if not figure.application and not any(word in first for word in _NOT_APPLICATION):
            continue
        if not _TOTAL_AGAIN.search(listed):
            return True
    return False


def another_body(subject: str, own: str) -> bool:
    """Whether the words before a figure name a body (区自然资源局, 区卫健委, 镇人民政府) that
    the reporting unit's own name does not hold (区政府 in 「哈尔滨市道外区人民政府」 does)."""
    own = own.replace("人民政府", "政府")
    return any(body.group().replace("人民", "") not in own for body in _BODY.finditer(subject))


def _year(said: str) -> int:
    """2020, or 二〇二〇 as 2020."""
    return int(said) if said.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in said))


def part_of_year(subject: str) -> bool:
    """Whether the words before a figure say it is of a part of the year (第一季度, 上半年,
    1-6月, 6月份): not the year's figure that the table holds."""
    return bool(_PART_OF_YEAR.search(_YEAR_BOUNDS.sub("", subject)))


def is_part(figure: Figure, sentence: str, match: re.Match[str]) -> bool:
    """Whether a statement states another figure than the table's (``Figure.unless``) or an
    application statement a part of its quantity, not the whole: one manner (延期答复) or
    channel (通过网上受理) of it, a handled figure's verb before a received or carried one
    (办结本年新收申请), or 办结 of one year's applications (办结上年结转申请)."""
    starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, match.start())]
    clause = sentence[starts[-1] if starts else 0 : match.start()]
    what = match.group("what")
    said = clause + what
    if any(word in said for word in figure.unless):
        return True
    bare = "n" in match.re.groupindex and match.end("n") == match.end()  # no unit after it
    if bare and any(word in what for word in _MEASURES):
        return True  # a figure with no unit after a share or a time (「…申请占比为10」): no count
    if figure.rule is Rule.N05 and as_review_organ(sentence, match, clause):
        return True
    if figure.rule is Rule.N02 and "申请" not in what and _of_cases(sentence, match.start()):
        return True  # 「行政诉讼案件2件，上年结转1件」: lawsuits carried, not applications
    if not figure.application and any(
        _of_cases(sentence, carried.start())
        and "申请" not in sentence[carried.end() : carried.end() + 12].split("件")[0]
        for carried in _CARRIED_NOUN.finditer(sentence, match.end())
    ):  # 「新增行政诉讼案件2件，上年结转1件」: which of them 表四 counts the text does not say
        return True
    if figure.rule is Rule.N06 and any(w in sentence[match.end() :] for w in figure.unless[:5]):
        return True  # 「行政诉讼2件（直接起诉），另有复议后起诉1件」: one kind, said after it
    if _THEN_OF_DISCLOSURE.match(sentence, match.end()):
        return True  # all the cases or applications, then those of disclosure: not the table's
    if not figure.application:
        return False
    if any(word in said for word in MANNER) or clause.endswith(("未", "不", "不予")):
        return True
    # applications of one outcome: 「予以公开的政府信息公开申请共计45件」, 「申请共45件予以公开」
    # (not 「收到申请120件并全部予以公开」: all the received)
    if figure.rule is Rule.N01 and (
        any(word in said for word in OUTCOMES) or sentence.startswith(OUTCOMES, match.end())
    ):
        return True
    if any(word in said for word in ("按时", "按期")) and any(w in sentence for w in MANNER):
        return True  # 「按时答复110件，延期答复3件」: on time is then one manner of two
    if any(word in said for word in NOT_DISCLOSURE) or (
        any(word in said for word in KINDS) and not any(w in said for w in ALL_CHANNELS)
    ):
        return True  # 「涉及征地拆迁、规划建设等领域的」 lists them all
    if sum(1 for word in APPLICANTS if word in said) == 1:
        return True
    if figure.rule is Rule.N03 and _UP_OR_DOWN.match(sentence, match.end()):
        return True  # 「办结申请由95件增加到113件」
    if _AMONG.search(sentence, 0, starts[-1] if starts else 0) or re.search(
        r"中(?:已|有|共)", what
    ):
        return True  # 「…申请中，已办结107件」, 「上年结转申请中有3件」
    channels = _THE_PROCEDURE.sub("", said)
    if any(word in channels for word in CHANNEL) and not any(w in said for w in ALL_CHANNELS):
        return True
    if any(word in said for word in SOURCE) and not any(w in said for w in ALL_SOURCES):
        return True
    # 「收到并办结申请99件」 is received too, not 「办结本年新收申请13件」
    received = clause + _THEN_HANDLED.sub("", what)
    if figure.rule in (Rule.N01, Rule.N02) and any(word in received for word in _HANDLED):
        return True
    if figure.rule is Rule.N01 and _CARRIED_NOUN.search(what):
        return not of_both_years(sentence, match)
    # 「办结了1件上年结转的申请」: the words after the figure say whose applications; 「收到并
    # 办结」 says the received ones, the table's when none were carried (``received_and_handled``)
    after = _AFTER_END.split(sentence[match.end() :], maxsplit=1)[0]
    whose = _RECEIVED_AND.sub("", clause) + what + after
    return figure.rule is Rule.N03 and any(word in whose for word in _OF_ONE_YEAR)


def received_and_handled(figure: Figure, sentence: str, match: re.Match[str]) -> bool:
    """Whether a handled figure is said of the received applications too (「收到并办结申请
    99件」): those handled of this year's, all that were handled only when none were carried
    over from last year."""
    starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, match.start())]
    clause = sentence[starts[-1] if starts else 0 : match.start()]
    return figure.rule is Rule.N03 and _RECEIVED_AND.search(clause) is not None


def as_review_organ(sentence: str, match: re.Match[str], clause: str) -> bool:
    """Whether a 行政复议 statement counts the reviews the body decides as 复议机关: it is
    called so before the figure (in any clause), or a verb of deciding reviews (受理, 收到 …)
    is in the statement's clause — its own item (after the last 、) when the statement has
    its own verb: 「未收到政府信息公开申请、未发生行政复议」 is none of the reviews of the body."""
    what = match.group("what")
    if "复议机关" in sentence[: match.start()] + what:
        return True
    if not match.group(0).startswith("行政复议"):  # 未发生…, 无…
        clause = clause.rsplit("、", 1)[-1]
    return any(verb in clause + what for verb in REVIEW_ORGAN_VERBS)


def includes_carried(sentence: str, match: re.Match[str], after: str = "") -> bool:
    """Whether a received figure is said to include last year's carried applications: in its
    own clause (「申请（含上年结转）690件」, 「690件（含上年结转27件）」) or right after it
    (「690件，包括上年结转的27件」, 「16件，其中上年结转2件」), in the next sentence when the
    figure ends its own (「…126件。其中新收120件，上年结转6件。」); not in the next clause
    (「收到申请21件，办结22件（含上年结转2件）」)."""
    comma = _COMMA.search(sentence, match.end())
    clause_end = comma.start() if comma else len(sentence)
    return bool(
        _WITH_CARRIED.search(sentence, match.start(), clause_end)
        or _then_carried(sentence, match.end())
        or _CARRIED_BEFORE.search(sentence, 0, match.start())
        or of_both_years(sentence, match)
        or (match.end() == len(sentence) and _then_carried(after, 0))
    )


def _then_carried(text: str, at: int) -> bool:
    """Whether ``text`` at ``at`` says that the figure before includes last year's carried
    applications (「，包括上年结转的27件」) — not when it goes on to a total of its own that
    does (「，包括上年结转6件在内共126件」: ``_INTO_TOTAL``)."""
    said = _THEN_CARRIED.match(text, at)
    return said is not None and _INTO_TOTAL.match(text, said.end()) is None


def carried_in_total(sentence: str, match: re.Match[str]) -> bool:
    """Whether a 上年结转 statement is the total the carried applications are part of
    (「含上年结转共126件」, 「包括上年结转在内共计126件」), not their own figure."""
    if match.groupdict().get("n") is None:  # 「无上年结转的申请」: none
        return False
    return _INCLUDING.search(sentence, 0, match.start()) is not None and any(
        word in sentence[match.start() : match.start("n")] for word in _TOTAL_WORDS
    )


def of_both_years(sentence: str, match: re.Match[str]) -> bool:
    """Whether a statement's clause names last year's carried and this year's new applications
    together (「上年结转和本年新收的申请126件」): its figure is their total — not in a 分别 list,
    which gives each its own."""
    if match.groupdict().get("items") is not None:
        return False
    starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, match.start())]
    return bool(_BOTH_YEARS.search(sentence, starts[-1] if starts else 0, match.end()))


def _statements(figure: Figure, sentence: str, before: str = "") -> list[tuple[str, re.Match[str]]]:
    """The statements of ``figure`` in ``sentence``, each matched in the words around it that
    are looked at (``_CONTEXT``): a long joined line (an annex's table) is searched in linear
    time, not once more for each statement in it."""
    found: list[tuple[str, re.Match[str]]] = []
    for pattern in figure.patterns:
        for whole in pattern.finditer(sentence):
            start = max(0, whole.start() - _CONTEXT)
            near = sentence[start : whole.end() + _CONTEXT]
            match = pattern.match(near, whole.start() - start)
            if match is not None:
                found.append((near, match))
    before = before[-_CONTEXT:]
    found = [(s, m) for s, m in found if _one_each(m)]
    if figure.application:
        found = [(s, m) for s, m in found if not any(w in m.group(0) for w in _NOT_APPLICATION)]
    if figure.rule is Rule.N03:
        found = [(s, m) for s, m in found if of_applications(s, m, before)]
    if not figure.application:
        found = [(s, m) for s, m in found if not for_one_cause(s, m)]
    if figure.names:
        found = [(s, m) for s, m in found if not combined(figure, s, m)]
    if figure.rule is Rule.N02:  # 「上年结转和本年新收的申请126件」 is the total (N01)
        found = [(s, m) for s, m in found if not of_both_years(s, m)]
        found = [(s, m) for s, m in found if not carried_in_total(s, m)]
    return found


_CASE_WORDS = ("复议", "诉讼", "案件")


def _of_cases(sentence: str, end: int) -> bool:
    """Whether the last quantity named before ``end`` is cases (行政复议, 行政诉讼), not
    applications: what a figure that names neither (「上年结转1件」) is said of."""
    cases = max(sentence.rfind(word, 0, end) for word in _CASE_WORDS)
    return cases > sentence.rfind("申请", 0, end)  # 「被申请行政复议」: 复议 after its 申请


def for_one_cause(sentence: str, match: re.Match[str]) -> bool:
    """Whether a 复议 or 诉讼 statement is of the cases for one reason (「因逾期答复被申请行政
    复议1件」, 「未发生因答复不及时被申请行政复议的情况」): 因 in its clause names a cause other
    than disclosure itself (「因政府信息公开被申请行政复议5件」 is all of them)."""
    starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, match.start())]
    clause = sentence[starts[-1] if starts else 0 : match.start()]
    return _OTHER_CAUSE.search(clause + (match.groupdict().get("what") or "")) is not None


_DISCLOSURE = ("信息公开", "依申请")
_NAMED_AFTER = re.compile(r"[^，,。；;（(\d]{0,10}")


def of_applications(sentence: str, match: re.Match[str], before: str = "") -> bool:
    """Whether a 办结 / 答复 figure is of disclosure applications: its words name them
    (「办结政府信息公开申请15件」, 「办结依申请公开21件」), or name nothing after a sentence
    about them (「收到申请二十一件，办结二十件」) — 「答复网民留言88件」, 「办结群众诉求120件」
    are not."""
    if match.group(0).startswith("办理结果"):
        return True  # the form's own name of the row
    if match.groupdict().get("items") is not None:  # a 分别 list: of 申请, not 案件
        return "申请" in match.group(0).replace("被申请", "")
    what = match.group("what").removeprefix("了")
    if what and "申请" not in what:
        return False
    if what and any(word in what for word in _DISCLOSURE):
        return True
    # 「申请」 alone, or nothing named: the applications last named before it, in the sentence
    # or the one before (「全年收到申请120件。截至年底，已办结113件」), if of disclosure
    # (not 「收到工伤认定申请90件，办结申请90件」)
    for text, end in ((sentence, match.start()), (before, len(before))):
        named = text.rfind("申请", 0, end)
        if named >= 0:
            # the words around it: 「依申请政务服务事项5000件」 names its kind after 申请
            after = _NAMED_AFTER.match(text, named + 2, end)
            around = text[max(0, named - 8) : after.end() if after else named]
            return not any(w in around for w in NOT_DISCLOSURE) and (
                text is sentence or bool(what) or any(word in text for word in _DISCLOSURE)
            )
    return bool(what)  # 「办结申请13件」: applications, none of another kind before


def combined(figure: Figure, sentence: str, match: re.Match[str]) -> bool:
    """Whether the statement's name is the last of two or more quantities named together
    before one figure: 「行政复议、行政诉讼案件共9件」 is neither 复议 nor 诉讼."""
    if not match.group(0).startswith(figure.names):
        return False  # 「未收到申请、未发生行政复议」: each said on its own
    before = sentence[: match.start()]
    joiner = _JOINER.search(before)
    return joiner is not None and not _FIGURE_END.search(before, 0, joiner.start())


def _number(match: re.Match[str]) -> int:
    said = match.groupdict().get("n")
    if not said:
        return 0
    if said[0].isdigit():
        return int(said.replace(",", "").replace("，", ""))
    return chinese_number(said)


_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(said: str) -> int:
    """二十一 → 21, 一百零五 → 105, 十二 → 12, 两千 → 2000, 一万二千 → 12000."""
    total = section = digit = 0
    for char in said:
        if char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            digit = digit * 10 + _CN_DIGITS[char]  # 二〇 is 20, like 20
    return total + section + digit


def _quote(sentence: str, match: re.Match[str]) -> str:
    if len(sentence) <= _QUOTED_CHARS:
        return sentence
    margin = max(0, (_QUOTED_CHARS - (match.end() - match.start())) // 2)
    start = max(0, match.start() - margin)
    end = min(len(sentence), match.end() + margin)
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


def _finding(
    ret: Return,
    figure: Figure,
    keys: tuple[str, ...],
    sentence: str,
    match: re.Match[str],
    stated: int,
    table: Number,
    completed: dict[str, Number],
) -> Finding:
    cells = [ret.form.cell(key) for key in keys]
    named = _named(cells)
    printed = ret.values.get(keys[0]) if len(keys) == 1 else None
    if isinstance(printed, int | float) and not isinstance(printed, bool) and printed != table:
        # a total the table prints wrong (E4): compared as its items add up, said so
        named += f"（表中填的是 {show_value(printed)}，按各项相加）"
    hint = ""
    if (
        keys == figure.keys
        and figure.rule is Rule.N01
        and stated == table + completed.get(_CARRIED, 0) != table
    ):
        carried = completed[_CARRIED]
        hint = f"（本年新收 {table} 加上年结转 {carried} 正好是 {stated}：正文可能把上年结转的申请也算作本年收到）"
    message = (
        f"正文称「{_quote(sentence, match)}」，{figure.spoken}为 {stated} 件，"
        f"但{named}为 {table}{hint}。请核对正文与统计表，以统计表为准的请修改正文。"
    )
    return Finding(
        figure.rule,
        message,
        places=tuple(ret.places[key] for key in keys if key in ret.places),
        operands={"正文": stated, "统计表": table, "句子": sentence},
    )


def _named(cells: Sequence[Cell]) -> str:
    if len(cells) == 1:
        return cells[0].description
    if len({cell.row for cell in cells}) > 1:  # 本年新收 and 上年结转
        return "与".join(cell.description for cell in cells) + "之和"
    table = cells[0].table.short
    parts = "与".join(f"「{cell.column_label}」" for cell in cells)
    return f"{table}{parts}之和"
