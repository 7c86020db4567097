"""Normalising a Chinese question before planning: width, traditional characters, numerals."""
from __future__ import annotations

import calendar
import re
import unicodedata

from opencc import OpenCC

from agents.formulas import spreadsheet_said
from agents.set_notation import set_notation_said

# Traditional -> simplified by OpenCC's dictionaries (not a hand table of the characters we thought of).
_T2S = OpenCC("t2s")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# "哪一类", "某一位", "统一": after these characters 一 is part of a word, not a number.
_NUMERAL = re.compile(r"(?<![\d.])[零〇一二两三四五六七八九十百千]+(?=[个名位岁年月日号季天条家类%万以之到至\-~种笔次趟大的强成户人块元支网]|$)"
                      # 超过五十、西安的: a numeral of two or more characters before a pause is a number too
                      r"|[零〇一二两三四五六七八九十百千]{2,}(?=[、，,。？?！!；;\s])"
                      # 排个前五。 / 前三是哪三类: after 前 (or 后) even one numeral is the count of a ranking
                      r"|(?<=前|后)[一二两三四五六七八九十]+(?=[、，,。.？?！!；;\s呢吧吗是]|$)")
#: 一万五 / 1万5 / 三万五千: the digit after 万 counts thousands (15000), it is not a second number.
_WAN_TAIL = re.compile(r"([一二两三四五六七八九十]+|\d+)万([一二两三四五六七八九]|[1-9])千?(?![\d十百千万个种位名])")
#: After these characters a lone 一 is part of a word (哪一类, 统一, 第一, 那一类, 最新一个月), not a number.
_WORD_BEFORE_ONE = set("哪某统单唯同第这那新")


def chinese_number(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def _number(text: str) -> int:
    return int(text) if text.isdigit() else chinese_number(text)


#: The formal register of a 支行 memo, said plainly: the ceremony (兹查, 烦请, 请予, 核报) asks for nothing;
#: 之 is 的, 若干 / 几何 are 多少, 何者 is 哪个, 位居前三 is 前三. Longest first.
_FORMAL = ((re.compile(r"兹查|兹请|兹拟|兹将|兹|烦请|请予以|请予|予以|敬请|为盼|为荷|核报|请告知|烦请告知|告知"), ""),
           (re.compile(r"若干|几何"), "多少"), (re.compile(r"何者|何种|何类"), "哪个"),
           (re.compile(r"位居|居于|居(?=前|第)"), ""), (re.compile(r"截至(.{1,12}?)为止"), r"截至\1"),
           (re.compile(r"测算"), "计算"), (re.compile(r"何人"), "谁"), (re.compile(r"披露|列示"), "列出"),
           # 现共计几户 / 计有多少人 / 月收入一栏没填: now, in all, the form's field — asking nothing more
           (re.compile(r"现(?=共计|共有|有|计有|合计|计)|(?<![合总统估会审设])计(?=有)"), ""),
           (re.compile(r"(?:这|该)?一栏|(?:这|该)栏"), ""),
           # 职业类型属金融从业者 / 年龄不设任何限制 / 逐一列明 / 比例为何 / 结论又如何: a clerk's formal words
           (re.compile(r"(?<![归所从附下专家亲金])属(?![于性实])"), "属于"), (re.compile(r"不设(?:任何)?限(?:制)?"), "不限"),
           (re.compile(r"列明"), "列出"), (re.compile(r"(?<=[率例数额值少])\s*(?:为|是)何(?=[呢吗]?\s*(?:[？?。.]|$))"), "为多少"),
           (re.compile(r"结论(?=又|如何|怎样|是什么)"), ""),
           # 三个条件同时满足：… / 同时满足“已婚”与“持有保险”两项条件的客户: conditions said to hold together, as they do
           (re.compile(r"(?:以下|下列)?(?:这)?[两二三四五六\d](?:个|项)条件(?:需|须|要)?(?:同时|都|全部|均)?(?:满足|符合)?[:：]?"
                       r"|(?:这)?[两二三四五六\d]条(?:条件)?(?:都|同时|全部|均)(?:满足|符合)的?"), ""),
           (re.compile(r"(?:需|须|要)?同时(?:满足|符合)(?:以下|下列)?(?:条件)?[:：]?"), ""),
           (re.compile(r"([由从])\s*(高|低|多|少|大|小)的?\s*[至往到]\s*(高|低|多|少|大|小)的?"), r"\1\2到\3"),
           # 之 as 的, but not inside 之间 / 之外 / 之中 / 之内 / 之一 / 之类 / 之后, nor 之前 (unless 之前十名)
           (re.compile(r"之(?=前\s*[\d一二三四五六七八九十]+\s*[名位个])"), "的"),
           (re.compile(r"(?<![总随久反分])之(?![间外中内一类后前上下])"), "的"))
#: Northern (东北) speech said plainly: 搁 在, 刨去 除去, 仨 三个, 俩 两个, 那旮旯 那边, 这拨人 这些人, 一块儿 一起,
#: 几回 几次, 光买了 只买了, 贼 very, 比…强多少 高多少, 多老少 多少, 甭 不用, 数人头 客户数.
_NORTHERN = ((re.compile(r"[这那]旮旯(?:儿)?|旮旯"), ""), (re.compile(r"搁(?=[\u4e00-\u9fff])"), "在"),
             (re.compile(r"刨去|刨除|刨掉"), "除去"), (re.compile(r"仨"), "三个"), (re.compile(r"俩"), "两个"),
             (re.compile(r"[这那]?[\d一二三四五六七八九十两几]*拨(?:人|客户)?"), "这些客户"),
             (re.compile(r"小年轻"), "年轻客户"), (re.compile(r"(?:全|都)?(?:加|合|算)一块儿?"), "加起来"),
             (re.compile(r"(?<=[\d几多少一两])回(?![报访])"), "次"), (re.compile(r"(?<=[这那哪个点])儿"), ""),
             (re.compile(r"(?:老)?爷们儿?"), "男客户"), (re.compile(r"(?:老)?娘们儿?"), "女客户"),
             (re.compile(r"(?:给我)?唠(?:一)?唠|(?:给我)?唠(?:一下|下)"), ""),
             (re.compile(r"光(?=买|看|有|持有|存|拿)"), "只"), (re.compile(r"贼(?=[\u4e00-\u9fff])"), ""),
             (re.compile(r"估摸着|估计着|老鼻子了?|嘎哈来了|嘎哈"), ""),
             (re.compile(r"强(?=多少|了多少|出多少)"), "高"), (re.compile(r"弱(?=多少|了多少)"), "低"),
             (re.compile(r"[真是]?(?:差|差得|差的)(?:老远|挺远|很远|远)了?(?:吗|吧|啊)?"), ""),
             (re.compile(r"分[一1]分"), "分"), (re.compile(r"(?<=[岁万元次笔个])\s*往上"), "及以上"),
             (re.compile(r"平均\s*(?:每|一|1)\s*个?\s*人|(?:每|一|1)\s*个?\s*人\s*平均"), "人均"),
             (re.compile(r"(?:咱们|咱|俺们|俺)家"), "我们这边"),   # 咱家: our bank
             # 俺们这 / 咱这片: the bank itself (the asker's own branch network), said as 我们这边
             (re.compile(r"(?:俺们|俺|咱们|咱|我们)这(?:片儿?|块儿?|边儿?|里|儿)?(?![个些样种次位家])"), "我们这边"),
             (re.compile(r"俺们"), "我们"), (re.compile(r"俺"), "我"),
             (re.compile(r"多老少|多老些"), "多少"),
             (re.compile(r"甭"), "不用"), (re.compile(r"[、，,]\s*可(?=[\u4e00-\u9fff]{0,6}(?:没|不|未))"), "、"),
             (re.compile(r"(?:数|按)人头"), "客户数"), (re.compile(r"的?人头(?![发像])"), "人数"), (re.compile(r"[这那]?[十几]来[个家](?=城市|支行|网点|职业)"), "各"))
#: Southwestern (四川) speech said plainly: 好多 多少 (asked), 啥子 什么, 没得 没有, 咋个 怎么, 支行头 支行里.
_SOUTHWEST = ((re.compile(r"(?<=[有是占剩高低多少大小])好多|好多(?=[个位人户钱]|[嘛噻呢哦嘞？?。]|$)"), "多少"),
              (re.compile(r"啥子"), "什么"), (re.compile(r"没得"), "没有"), (re.compile(r"咋个"), "怎么"),
              (re.compile(r"(支行|网点|客户|客群|老师|那些人|这些人)头(?![部像发])"), r"\1里"))
#: 湘鄂 speech said in Mandarin: 冇得 没有, 么子 什么, 好大 (asked) 多大, 一共才几个 一共几个, 高些 高, 排个队 排序;
#: 咯/啰/哒/嘞 closing a clause and 心里冇得底 add nothing.
_XIANG_E = ((re.compile(r"冇得"), "没有"), (re.compile(r"么子"), "什么"),
            (re.compile(r"好大(?=的?比例|的?占比|\s*[啰咯哒嘞呢？?。]|$)"), "多大"),
            (re.compile(r"(?<=[\u4e00-\u9fff\d])(?:咯|啰|哒|嘞)+(?=\s*[呢吧吗]?\s*(?:[？?。.，,！!]|$))"), ""),
            (re.compile(r"[，,]?\s*(?:我)?心里(?:没有|没)(?:个)?底[。.]?"), ""),
            (re.compile(r"(?<=[共计来只就])才(?=几|多少)"), ""), (re.compile(r"(?<=[高低多少大小])些(?=\s*[？?。，,]|$)"), ""),
            (re.compile(r"排个队"), "排序"))
#: 填报 forms: 指标名称：…；统计口径：…；单位：元；填报值保留整数 — the form's labels and how to write the figure, not
#: what to count (a 统计口径 itself is read by the grammar)
_REPORT_FORM = ((re.compile(r"填报说明\s*[:：]|指标名称\s*[:：]|统计时点\s*[:：]|统计对象(?:为|是)|指标(?:为|是)\s*[:：]?"
                            r"|(?:^|(?<=[；;。，,]))\s*指标\s*[:：]"), ""),
                (re.compile(r"[，,；;。]?\s*单位\s*[:：为]?\s*(?:万元|亿元|元|户|人|个|%|百分比)(?=\s*[呢吧]?\s*(?:[，,；;。.？?]|$))"), ""),
                (re.compile(r"[，,；;。]?\s*(?:填报值)?\s*保留整数"), ""), (re.compile(r"填报值(?:是|为)?"), ""),
                (re.compile(r"逐月填报"), "每月"), (re.compile(r"(?:请)?(?:逐项|分别|逐一)?填报(?:该)?"), ""),
                (re.compile(r"口径不变[，,]?\s*|统计范围(?=换成|改成|改为)"), ""),
                (re.compile(r"(职业|网点|支行|城市|职业类型|阶段|等级)名称(?![中里])"), r"\1"),
                (re.compile(r"(?<=存款|理财|基金|保险)持有(?:标志|标识|标记)位?(?!\s*[=＝为是])"), "持有"))
#: 长尾 drops only beside the tier it stands for; alone (长尾客户有多少) or defined by the asker it is kept
_LONG_TAIL_STATED = re.compile(r"普通|潜力|临界|高净值|\d+\s*万")
_LONG_TAIL_DEFINED = re.compile(r"长尾(?:客户)?\s*[，,]?\s*(?:我)?(?:这里|这儿|在这里)?\s*(?:就)?(?:指|是指|指的是|就是|即|按)")
#: A private banker's words: AUM盘子 / 体量 / 量级 (the size: the figure itself), 客单 户均AUM, 双持 都持有, 老客 老客户;
#: 头部 / 长尾 only name the end of a ranking or a tier the question states anyway.
_PRIVATE_BANKING = ((re.compile(r"(?<=AUM|aum)\s*盘子|(?<=资产|规模)\s*盘子|盘子(?=[合总有多])"), ""), (re.compile(r"盘子"), "AUM"),
                    (re.compile(r"(?:多少|什么|啥)\s*(?:体量|量级)"), "多少"), (re.compile(r"体量"), "规模"),
                    (re.compile(r"量级"), ""), (re.compile(r"客单(?:价)?"), "户均AUM"), (re.compile(r"双持"), "都持有"),
                    (re.compile(r"老客(?![户群])"), "老客户"),
                    (re.compile(r"长尾(?:那部分|部分|客户)?"), lambda m: "" if _LONG_TAIL_STATED.search(m.string)
                     and not _LONG_TAIL_DEFINED.search(m.string) else m.group()))
#: Shanghainese (沪语) said in Mandarin: 阿拉 我们, 侬 你, 搿 这, 几钿 多少, 伐 吗 (at a clause's end), 里向 里,
#: 搭 和 (浦东搭静安), 啥人 谁, 晓得 知道; 交关 (very), 老早 (long ago) and 牵记 (to keep in mind) add nothing to a figure.
_SHANGHAINESE = ((re.compile(r"阿拉"), "我们"), (re.compile(r"侬"), "你"), (re.compile(r"搿"), "这"),
                 (re.compile(r"几钿"), "多少"), (re.compile(r"(?<=[\u4e00-\u9fff])伐(?=\s*[？?。，,！!]|$)"), "吗"),
                 (re.compile(r"里向"), "里"), (re.compile(r"(?<=[\u4e00-\u9fff])搭(?![配售建乘档界理])"), "和"),
                 (re.compile(r"啥人"), "谁"), (re.compile(r"晓得"), "知道"),
                 (re.compile(r"交关|老早|(?:最)?牵记(?:了)?"), ""))
#: A young operator's chat shorthand: rs 人数, zb 占比, 康康 看看, 捏 呢; 家人们, 咱就是说, yyds, 速报's 速 and emoji say
#: nothing about the figure.
_CHAT_SHORTHAND = ((re.compile(r"(?i)(?<![A-Za-z])rs(?![A-Za-z])"), "人数"), (re.compile(r"(?i)(?<![A-Za-z])zb(?![A-Za-z])"), "占比"),
                   (re.compile(r"康康"), "看看"), (re.compile(r"(?<=[\u4e00-\u9fff\s])捏(?=\s*[呢吗]?\s*[？?。！!，,]|\s*[呢吗]?$)"), "呢"),
                   (re.compile(r"家人们|咱就是说|(?i:yyds)|绝绝子|速(?=报|回)"), ""),
                   (re.compile(r"(?:整|来)(?:1|一)个(?=\s*[呢吧]?\s*(?:[？?。！!，,]|$))"), ""))


def _ordered_by(m: re.Match) -> str:
    """order by X desc: 从高到低 by X, or just 从高到低 when X is the figure already selected (read again, 高净值占比
    would also be a filter on 高净值)."""
    said = m.group(1).strip()
    how = "从低到高排序" if (m.group(2) or "").lower() == "asc" else "从高到低排序"
    return how if said in m.string[:m.start()] else f"按{said}{how}"


#: SQL an analyst types inside a question: <> is 不是, flag=1 持有, name like '%上海%' is 上海, 去重 (counts are);
#: select … from <table> where … order by … limit n, count(*) 客户数, stat_month='2025-06' that month.
_SQL_SAID = ((re.compile(r"\s*==\s*"), "="),   # pandas: city_level=='一线城市'
             (re.compile(r"样本\s*(?=标准差)"), ""),
             # 不少于5次（>=5）: the bound just said, in symbols
             (re.compile(r"(?<=[\d次个岁万元笔上下])\s*[（(]\s*(?:>=|<=|>|<|≥|≤|=)\s*\d+(?:\.\d+)?\s*(?:次|个|岁|万|元|笔)?\s*[）)]"), ""),   # the standard deviation stated is the sample one
             (re.compile(r"(?i)\bselect\s+"), ""), (re.compile(r"(?i)\s*\bfrom\s+(?:customer|monthly)_[a-z_]+\b\s*"), " "),
             (re.compile(r"(?i)\bcount\s*\(\s*(?:\*|1|distinct\s+customer_id|customer_id)\s*\)"), "客户数"),
             (re.compile(r"(?i)\bstat_month\s*=\s*['\"]?(20\d{2})[-/]?(\d{1,2})['\"]?"), r"\1年\2月"),
             (re.compile(r"(?i)\border\s+by\s+([^\s,，]+?)\s*(?:\b(desc|asc)\b|$|(?=\s+limit\b))"), _ordered_by),
             (re.compile(r"(?i)\blimit\s+(\d+)\b"), r"前\1"),
             # AUM 环比 = (sum(total_assets)@本月 - …) / …: the named figure's own formula, said again
             (re.compile(r"(环比|同比|占比|比例|比率|增速|增长率|变化率|变动率|持有率|活跃率)\s*[=＝]\s*[(（]?[^=，。？?]*?[/÷][^=，。？?；;]*"), r"\1"),
             (re.compile(r"(?i)\bargmax\s*\(\s*(.+?)\s*\)\s*over\s*([^\s—-]+)"), r"\2里\1最高的"),
             (re.compile(r"(?i)\bargmin\s*\(\s*(.+?)\s*\)\s*over\s*([^\s—-]+)"), r"\2里\1最低的"),
             (re.compile(r"\s*(?:<>|!=)\s*"), "不是"), (re.compile(r"\bflag\s*=\s*1\b"), "持有"),
             (re.compile(r"\bflag\s*=\s*0\b"), "未持有"),
             (re.compile(r"[（(]?\s*\b\w+\s+like\s+'%?([^%']+)%?'\s*[)）]?", re.IGNORECASE), r" \1 "),
             (re.compile(r"[（(]?\s*(?:customer_id\s*)?去重\s*[)）]?"), ""),
             # pandas said in a sentence: df.groupby('occupation_type')['fund_balance'].mean(), sort desc, head 5
             (re.compile(r"\bdf\s*\.\s*"), ""), (re.compile(r"(?i)\bgroup\s*by\s*\(?\s*['\"]?(\w+)['\"]?\s*\)?"), r"按 \1 "),
             (re.compile(r"\[\s*['\"](\w+)['\"]\s*\]"), r" \1 "),
             (re.compile(r"\.\s*(mean|sum|count|max|min)\s*\(\s*\)"), r" \1 "),
             (re.compile(r"(?i)\bsort(?:ed)?(?:_values)?\s*(?:by\s*\w+\s*)?desc(?:ending)?\b|降序排?列?"), "从高到低排序"),
             (re.compile(r"(?i)\bsort(?:ed)?(?:_values)?\s*(?:by\s*\w+\s*)?asc(?:ending)?\b|升序排?列?"), "从低到高排序"),
             (re.compile(r"(?i)\bhead\s*\(?\s*(\d+)\s*\)?"), r"前\1"),
             (re.compile(r"从大到小"), "从高到低"), (re.compile(r"从小到大"), "从低到高"))
#: Written Cantonese (after traditional -> simplified), said in Mandarin: 嘅 的, 系 是, 几多 多少, 边个 哪个,
#: 入面 里面, 咗 了, 冇 没有, 𠮶啲 那些 … Only words Mandarin does not use this way; longest first.
_CANTONESE = ((re.compile(r"几多"), "多少"), (re.compile(r"入面|里头"), "里面"), (re.compile(r"加埋|合埋"), "加起来"),
              (re.compile(r"(?:𠮶|嗰)(?:边|度|阵时?|阵)"), ""),   # 深圳嗰边嘅 / 今年3月嗰阵: there, then
              (re.compile(r"边(?=[一二三四五六七八九十两\d]*[个间度啲几位家种类])"), "哪"), (re.compile(r"(?<=哪)度"), "边"),
              (re.compile(r"(?<=[前哪几这那每\d一二三四五六七八九十两])间(?=支行|网点|分行|银行|机构)|(?<=[哪每])间|(?<=哪几)间"), "家"),
              (re.compile(r"今个(?=月|星期|礼拜)"), "这个"), (re.compile(r"成个(?=月)"), "整个"),
              (re.compile(r"而家|宜家"), "现在"), (re.compile(r"点样|点解"), "怎样"), (re.compile(r"乜(?:嘢)?"), "什么"),
              (re.compile(r"(?<=[列写睇讲计数])晒"), ""),   # 列晒出嚟: list them all
              (re.compile(r"(?:𠮶|嗰)啲"), "那些"), (re.compile(r"(?:𠮶|嗰)个"), "那个"), (re.compile(r"(?<=哪)啲"), "些"),
              (re.compile(r"啲"), ""),   # 多啲 / 啲客户: a comparative or plural mark Mandarin leaves unsaid
              (re.compile(r"头(?=\s*(?:\d+|[一二三四五六七八九十两]+)\s*[位个名家间])"), "前"),
              (re.compile(r"嘅"), "的"), (re.compile(r"(?<![关联体派维星直谱])系(?![统列数])"), "是"),
              (re.compile(r"咗"), "了"), (re.compile(r"(?<=了)定(?=[\u4e00-\u9fff]了)"), "还是"),   # 多咗定少咗: or
              (re.compile(r"冇"), "没有"), (re.compile(r"出嚟"), "出来"), (re.compile(r"嚟"), ""),
              (re.compile(r"睇下|睇睇|睇"), "看"), (re.compile(r"^咁|(?<=[,，\s])咁"), "那"), (re.compile(r"唔"), "不"),
              (re.compile(r"佢哋|佢地"), "他们"), (re.compile(r"佢"), "他"), (re.compile(r"揾"), "找"),
              (re.compile(r"(?<=[\u4e00-\u9fff])(?<![不相共如连一等协会合赞认雷异陪伴])同(?=[\u4e00-\u9fff]{2})"
                          r"(?![比期时年样一月事学])"), "和"))
#: Taiwanese Mandarin (after traditional -> simplified): 几趴 百分之几, 登入 登录, 理专 (the asker), 跑分行 到访网点,
#: 前三高 前3; 齁/喔 closing a clause add nothing.
_TAIWANESE = ((re.compile(r"([占率比例][^。？?]{0,10}?)几\s*趴"), r"\1多少"),   # 活跃率是几趴: the rate itself
              (re.compile(r"几\s*趴"), "百分之几"), (re.compile(r"多少\s*趴"), "百分之多少"), (re.compile(r"登入"), "登录"),
              (re.compile(r"(?<=[\u4e00-\u9fff])(?:齁|喔|耶)+(?=\s*[呢吗吧啊]?\s*(?:[？?。！!，,]|$))"), ""),
              (re.compile(r"理专(?:这边|我)?(?:想看|想知道|想问)?\s*[，,]?"), ""),
              (re.compile(r"跑(?:分行|网点|银行|支行)"), "到访网点"), (re.compile(r"成长了"), "增长了"),
              (re.compile(r"前([\d一二三四五六七八九十]+)高(?=的)"), r"前\1"),
              (re.compile(r"看理财(?:看)?(?:得)?最久"), "理财浏览时长最长"))
#: A classical, written register: 敢问 (polite), 凡几人 / 几何 / 几许 / 若干 多少, 逾 超过, 年届六十 年龄60岁, 诸 各, 孰高 哪个最高,
#: 何者 哪个, 列其前五 列出前5, 由少至多 从低到高, 最丰者 最高的, 尚为 是, 已晋 变成, 俱全 都有, 持理财者 持有理财的客户.
_CLASSICAL = ((re.compile(r"敢问|试问"), ""), (re.compile(r"凡(?:几|若干)(?:人|位)?"), "多少人"),
              (re.compile(r"孰多孰少|孰高孰低|孰少孰多|孰低孰高"), ""), (re.compile(r"孰(高|低|多|少)"), r"哪个最\1"),
              (re.compile(r"何者为?最(?=[高低多少大小])"), "哪个最"), (re.compile(r"何者"), "哪个"),
              (re.compile(r"又当(?:几何|如何|几许|若干)"), "呢"), (re.compile(r"若易以"), "换成"),
              (re.compile(r"几何|几许|若干"), "多少"),
              (re.compile(r"年届\s*([一二三四五六七八九十\d]+)\s*周?岁?"), r"年龄\1岁"),
              (re.compile(r"年未满\s*([一二三四五六七八九十\d]+)\s*周?岁?"), r"年龄\1岁以下"),
              (re.compile(r"年逾\s*([一二三四五六七八九十\d]+)\s*周?岁?"), r"年龄超过\1岁"),
              (re.compile(r"未逾"), "不超过"), (re.compile(r"逾(?!期)"), "超过"),
              (re.compile(r"诸城"), "各城市"), (re.compile(r"诸(?=类|位|档|阶段)"), "各"), (re.compile(r"诸(?=[\u4e00-\u9fff])"), ""),
              (re.compile(r"列其前"), "列出前"), (re.compile(r"[，,]?\s*列其名次"), ""),
              (re.compile(r"依?由少至多(?:之序)?(?:列之|排列|排序|排之)?"), "从低到高排序"),
              (re.compile(r"依?由多至少(?:之序)?(?:列之|排列|排序|排之)?"), "从高到低排序"),
              (re.compile(r"最(?:丰|巨)(?:者|之)?"), "最高的"), (re.compile(r"为谁"), "是谁"),
              (re.compile(r"[，,]?\s*以元计\s*[，,]?"), ""), (re.compile(r"报其"), ""),
              (re.compile(r"尚为"), "是"), (re.compile(r"尚(?=可|余|有)"), ""), (re.compile(r"已晋(?:为|升)?"), "变成"),
              (re.compile(r"至今\s*(?:[（(]\s*基准月\s*[）)])?"), "到基准月"),
              (re.compile(r"(?:[二两三四\d]者)?(?:俱全|俱有|皆有)"), "都有"),
              (re.compile(r"(?<![支保维坚扶劫挟主把操手])持(?=理财|基金|保险|存款)"), "持有"), (re.compile(r"未有"), "没有"),
              (re.compile(r"多出"), "多"),
              # 上海二支行（浦东、静安）: the city's branches together, the city
              (re.compile(r"(?<=[\u4e00-\u9fff]{2})二(?:支行|网点)(?:\s*[（(][^（）()]*[）)])?"), ""),
              (re.compile(r"(?<![业有费资老患记作读学使或再前后两三四])者(?=\s*[，,。？?几占凡多各之与和及]|$)"), "的客户"))
#: A trader's shorthand: city codes (BJ 北京 …), HNW 高净值, F/M 女/男, # 户数, 50w 50万, vs 和, 60+ 60岁及以上 (pct, avg,
#: MoM and YoY are the lexicon's English words); and pinyin initials (gjz 高净值, lc 理财, jj 基金, bx 保险, ck 存款, zh 支行, khs 客户数, rj 人均).
_CITY_CODES = {"BJ": "北京", "SH": "上海", "GZ": "广州", "SZ": "深圳", "HZ": "杭州", "CD": "成都", "WH": "武汉", "NJ": "南京",
               "XA": "西安", "LY": "洛阳", "YC": "宜昌", "GL": "桂林", "SX": "绍兴"}
_INITIALS = {"gjz": "高净值", "lc": "理财", "jj": "基金", "bx": "保险", "ck": "存款", "zh": "支行", "khs": "客户数", "rj": "人均"}
_SHORTHAND = ((re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(_CITY_CODES) + r")(?![A-Za-z0-9_])"), lambda m: _CITY_CODES[m.group(1)]),
              (re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(_INITIALS) + r")(?![A-Za-z0-9_])"), lambda m: _INITIALS[m.group(1)]),
              (re.compile(r"(?<![A-Za-z0-9_])HNW\s*#"), "高净值客户数"), (re.compile(r"(?<![A-Za-z0-9_])HNW(?![A-Za-z0-9_])"), "高净值"),
              (re.compile(r"(?<![A-Za-z0-9_])F(?![A-Za-z0-9_])"), "女性"), (re.compile(r"(?<![A-Za-z0-9_])M(?![A-Za-z0-9_])"), "男性"),
              (re.compile(r"(?<=\d)\s*w(?![A-Za-z0-9_])"), "万"), (re.compile(r"多少\s*w(?![A-Za-z0-9_])"), "多少"),
              (re.compile(r"[（(]\s*k\s*[）)]"), ""), (re.compile(r"(?<=\d)\s*k(?![A-Za-z0-9_])"), "千"),
              (re.compile(r"(?:几|多少)\s*#"), "多少户"), (re.compile(r"#\s*1(?!\d)"), "第一"), (re.compile(r"#"), "客户数"),
              (re.compile(r"\s*(?<![A-Za-z0-9_])vs\.?(?![A-Za-z0-9_])\s*"), "和"),
              (re.compile(r"(?i)split\s+by"), "按"), (re.compile(r"(?i)(?<![A-Za-z0-9_])series(?![A-Za-z0-9_])"), "每月"),
              (re.compile(r"(?i)(?<=\d)\s*products?(?![A-Za-z0-9_])"), "种产品"), (re.compile(r"(\d+)\s*\+(?![\d+])"), r"\1岁及以上"),
              (re.compile(r"持有律"), "持有率"), (re.compile(r"开帐户|开账户"), "开户"), (re.compile(r"分型(?=[，,、]|$)"), "分组"))
#: An older clerk's everyday measures: 多少号人 多少人, 一坨钱 (an amount), 那帮人 那些人, 分成两拨人 分两组.
_EVERYDAY = ((re.compile(r"(多少|几)号人"), r"\1人"), (re.compile(r"(?:多大)?一坨(?:钱)?"), "多少"), (re.compile(r"那帮人|这帮人"), "这些人"),
             (re.compile(r"分成?(?:两|2)拨(?:人)?"), "分组"), (re.compile(r"(?<=[每各])拨人?"), "组"),
             (re.compile(r"排排队|排一排|排下队|排(?:一|1)遍|排个序"), "排序"),
             # 新客户、成长客户一直到流失客户，七个生命周期阶段…: the first and last of every group, counted after
             (re.compile(r"(?:从)?[^，,。？?]{2,20}?一直到[^，,。？?]{2,8}?[，,]\s*(?=(?:\d+|[二三四五六七八九十])个|每个|各)"), ""),
             # 企业高管这一职业类型里: the value, then the word for its kind
             (re.compile(r"(?<=[\u4e00-\u9fff])这(?:一|1)(?=职业类型|职业|类型|阶段|等级|城市|网点|支行)"), ""),
             # 成都高新支行和武汉江汉支行…？两家的平均资产各是多少: the two just named
             (re.compile(r"(?<=[，,？?。])\s*(?:这)?(?:两|2)家的?"), ""),
             # 把全体客户划成三个组 / 以支行名里的城市为单位 / 分母：… / 时间取2025年全年，1月到12月: how to cut and count
             (re.compile(r"(?:把[^，,。？?]{0,8}?)?(?:划|分|拆)(?:成|为)\s*(?:\d+|[两二三四五六七八九十])\s*个?(?:组|类|档|段|群)"), "分组"),
             (re.compile(r"以\s*(?:支行名称?|网点名称?)?(?:里|中)?的?城市为单位"), "按城市"),
             (re.compile(r"分([母子])\s*[:：]\s*"), r"分\1为"), (re.compile(r"(?:时间|月份|期间)(?:取|选|范围为?|为)\s*[:：]?\s*"), ""),
             (re.compile(r"(全年|上半年|下半年)\s*[，,]\s*\d{1,2}\s*月\s*(?:到|至|-|~)\s*\d{1,2}\s*月"), r"\1"),
             # 程序员们 / 客户们: a plural said of any noun (爷们 is a word); 多少来着: asking again; 多少钱一笔 (笔均): the per-transaction unit
             (re.compile(r"(?<![我你他她它咱人爷娘哥])们"), ""), (re.compile(r"(?<=[多少几])来着"), ""),
             (re.compile(r"(?<=多少)钱?(?:一|1)笔的?"), ""),
             # 冷静期已过、可最近一次联系结果却是拒绝: 可…却 is "but", joining two conditions
             (re.compile(r"(?<=[、，,])\s*可(?=最近|上次|上一次|现在|目前|当前|其|却)"), ""),
             # 已婚、未婚、离异这三组里 / 三者中: the values just listed, counted
             (re.compile(r"(?:这|那)?([两二三四五六七八九])(?:组|者)(?=里|中|之中|当中|之间|谁|哪)"), r"这\1类"))
#: An internet-style user-operations lead and a statistician: 圈一个人群包 / 人群圈在… / 盘一下 / 颗粒度细到支行 /
#: 沉淀的AUM / 样本量 / 样本只取… / Top-3 / 给我一个 (数), and what a figure is for (准备做触达, 找找…的抓手).
_OPERATIONS = ((re.compile(r"(?i)(?<![a-z])top\s*[-－]\s*(\d+)"), r"前\1"), (re.compile(r"拉(?:一个|个)(?=前|榜|名单|清单)"), ""), (re.compile(r"(?<=前\d)\s*榜单?|(?<=前\d\d)\s*榜单?"), "排名"),
               # 尾部三家支行 / 头部五家: the last or first few of a ranking
               (re.compile(r"(?:尾部|排(?:在)?最后(?:的)?)(?=[两二三四五六七八九十\d]+\s*[家个位名])"), "倒数"),
               (re.compile(r"头部(?=[两二三四五六七八九十\d]+\s*[家个位名])"), "前"),
               (re.compile(r"圈(?:一个|个|一下|一批|出)?人群包|(?:先)?圈一下|人群包"), ""), (re.compile(r"人群(?:只)?圈在|只圈"), "只看"),
               (re.compile(r"人群(?:就)?(?:是|为|限定在|限定为|只要|只看)"), "只看"),
               (re.compile(r"盘(?:一下|一盘|下)|盘点(?:一下)?"), "看一下"), (re.compile(r"(?:口径)?拉齐到"), "按"),
               (re.compile(r"拉齐口径|口径拉齐"), ""), (re.compile(r"颗粒度(?:细|拆|下钻)?到"), "按"),
               (re.compile(r"沉淀(?:了|下来的?|的)?"), ""), (re.compile(r"样本(?:量|数)"), "客户数"), (re.compile(r"样本(?!标准差)"), ""),
               (re.compile(r"给(?:我)?(?:一|1)个(?:数)?(?=[，,。？?]|$)"), ""),
               # 找找交叉销售的抓手 / 准备做触达 / 想做一波挽留触达 / 看看促活有没有效果: what it is for, not what to count
               (re.compile(r"[，,]?\s*(?:找找|找一找|找|看看)?[^，,。？?]{0,8}的抓手"), ""),
               (re.compile(r"[，,]?\s*(?:准备|想|打算|要)?做(?:一波|一轮|个|一次)?[^，,。？?]{0,4}(?:触达|激活|唤醒|回访|拜访)[，,]?"), ""),
               (re.compile(r"(?:这)?(?:两|2|三|3|四|4)项指标|(?:一|1)张(?=按|分|表)|[，,]?\s*(?:全部|都要|都)覆盖(?:到)?(?=[。，,；;]|$)"), ""),
               (re.compile(r"[，,]\s*看看?[^，,。？?]{0,8}(?:有没有效果|效果如何|效果怎么样)"), ""))
#: A trainee's internet slang (家人们救命, 蹲一个, 有一说一, yyds求安排, 速速求一个数, 真的会谢, 绝了) and a risk manager's
#: rhetoric said beside the question (不能说不多吧, 并非没有吧, 这批人不能说不重要): tone, asking nothing.
_SLANG = ((re.compile(r"家人们|(?:救命|救救)(?:啊|呀)?|(?i:yyds)|(?:求|速速求?)(?:安排|一个数|个数)|速速|真的会谢|会谢|有一说一"
                      r"|绝绝子|绝了|我(?:自己)?算不(?:动|过来|明白)|蹲(?:一个|个|一下)[:：]?|(?<=[，,。！!\s])蹲(?=\s*[呢吧啊]?\s*[。！!？?]?\s*$)"), ""),
          (re.compile(r"[，,]?\s*(?:这批人|这些人|他们|那批人)?(?:不能说|总不能说)(?:差得)?不[^，,。？?！!]{1,6}?[吧吗]?(?=[？?。！!，,]|$)"
                      r"|[，,]?\s*并非(?:一个)?没有[吧吗](?=[？?。！!，,]|$)"), ""),
          # 四种产品没有一个不持有: two negations over a list, all of it held
          (re.compile(r"没有(?:一|1)(?:个|样|种)不(?=持有|是|买)"), "都"))
#: A data journalist's headline words (揭秘：, 你知道吗？, 一图看懂…：, 竟然有多少) and an accountant's asides (老账本核对一下,
#: 请写到角分, 用千分之几表示也行): how it is asked and shown, not what is counted.
_HEADLINE = ((re.compile(r"揭秘(?:榜首)?\s*[:：]?|你知道吗\s*[？?]?|一图看懂[^：:，,。？?]{0,10}[:：]|一图看懂"
                         r"|老账本核对一下\s*[:：]?|老会计(?:想知道|要一张明细|要)?\s*[:：]?|竟然?差(?:这么|那么)?多\s*[—-]*"), ""),
             (re.compile(r"(?<!究)竟然?(?=有|是|多少|几)"), ""), (re.compile(r"逐(?:类|项|个)列出"), "列出"), (re.compile(r"排个?座次"), "排序"),
             (re.compile(r"[，,。]?\s*(?:请)?(?:金额)?写到(?:元)?角分|[，,。]?\s*(?:用|按)千分之几(?:表示|报)(?:也行|也可以)?"
                         r"|[，,。]?\s*请按百分之几报"), ""))
#: A product manager's user story: 作为支行行长，我想知道…，以便… / 验收标准：… / 期望输出：…; the role and the purpose ask nothing
#: (本支行 is the branch the role names), the acceptance criteria are conditions, the expected output says how to show it.
_STORY_ROLE = re.compile(r"(?:用户故事\s*[:：]\s*)?(?:作为|身为|我是)([^，,。；;]{2,24}?)(?:的)?(?:行长|经理|主管|负责人|总监|专员|人员|岗|PM|pm)"
                         r"[^，,。；;]{0,8}[，,]\s*(?:我)?(?:想知道|想了解|需要|想要|要|想看|想拿到|想找出|想把)?")
_STORY_PURPOSE = re.compile(r"[，,]\s*以便[^，,。；;？?.]*?(?=[，,。；;？?.]|期望输出|验收标准|$)|[，,]?\s*作为[^，,。；;？?]{0,12}指标")
_STORY_OUTPUT = re.compile(r"期望输出\s*[:：]\s*([^。；;]*)[。；;]?")


def _user_story(text: str) -> str:
    role = _STORY_ROLE.search(text)
    if role is None and "验收标准" not in text and "期望输出" not in text:
        return text
    if role is not None:
        branch = re.search(r"[\u4e00-\u9fff]{4}支行", role.group(1))
        text = text[:role.start()] + text[role.end():]
        if branch is not None:
            text = re.sub(r"本支行|本网点|我们支行|我行网点|我这个支行", branch.group(), text)
    text = _STORY_PURPOSE.sub("", text)
    # 期望输出：5位客户的客户号和总资产，从高到低 / 每个城市等级一个数: kept where it orders, ranks or groups (一个百分比
    # alone only says how to show it)
    text = _STORY_OUTPUT.sub(lambda m: re.sub(r"(?:各)?(?:一|1)个(?:数字?|百分比|比例|金额|客户数)(?:[（(][^）)]*[）)])?|\d+个月份各?", "", m.group(1))
                             if re.search(r"从高|从低|前\d|排|[0-9一二三四五六七八九十]+位|每个|每段|每类|每组|每家|各", m.group(1)) else "", text)
    return re.sub(r"验收标准\s*(?:再加一条)?\s*[:：]|用户故事\s*[:：]", "，", text).strip("，, ")


#: 人民币伍拾万元 / 壹佰万元 / 开户满拾年: the capital numerals of a financial document, as everyday numerals.
#: A run counts only with 拾/佰/仟 inside or an amount's unit after it (陆家嘴 is a place, 登陆 a verb).
_CAPITALS = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
_CAPITAL_NUMERAL = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟]*[拾佰仟][零壹贰叁肆伍陆柒捌玖拾佰仟]*"
                              r"|[壹贰叁肆伍陆柒捌玖]+(?=[万亿元圆])")
#: 二〇二五年: a year written digit by digit.
_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})(?=年)")

#: 一二三线城市 -> 一线、二线、三线城市: a run of levels written once.
_LEVELS = re.compile(r"([一二三四五六七八九])([一二三四五六七八九])([一二三四五六七八九])?线")


def _apart(text: str, start: int) -> str:
    """CUST000756三个月内: a numeral right after digits starts a new number (a space keeps the id whole)."""
    return " " if start and text[start - 1].isdigit() else ""


_SELF_CORRECTION = re.compile(r"(?:^|(?<=[\s,，、]))[^\s,，、]{1,12}\s*[,，]?\s*(?:哦|噢|啊|呃|哎|诶)?\s*"
                              r"(?:不对不对|不对|(?:我)?说错了(?:说错了)?|不是不是|搞错了)\s*[,，]?\s*(?:应该)?(?:是)?")
#: 上海静安…呃，上海浦东支行: a word trailing off, then said again
_TRAILING_OFF = re.compile(r"(?:^|(?<=[\s,，、]))[^\s,，、。？?…]{1,12}(?:…+|\.{3,})\s*(?:呃|嗯|额|哦)\s*[,，]\s*")
#: …的活跃率…不是活跃率，我要的是活跃客户的人数: the word withdrawn is the last one said before
_NOT_BUT = re.compile(r"(?:我要问的|我要的|我问的|要问的)?(?:也|并)?不是\s*([^，,。？?…\s]{1,10}?)\s*[，,]\s*"
                      r"(?:我要的是|我要问的是|我问的是|要的是|问的是|而是|就是|是)")
#: 是按城市啊不是按网点 / 全行的，不分网点: the grouping not meant
_NOT_GROUPED = re.compile(r"[啊呀，,]?\s*(?:而)?不(?:是)?(?:分|按)\s*(?:网点|支行|城市|职业|年龄段?|等级)(?:分组|来分|来看|分|看)?")


def _withdrawn(text: str) -> str:
    """不是A，是B: A's last mention before the correction is withdrawn, with the correction's own words."""
    while (m := _NOT_BUT.search(text)) is not None:
        before, said = text[:m.start()], m.group(1)
        at = before.rfind(said)
        if at >= 0:
            before = before[:at] + before[at + len(said):]
        text = before + text[m.end():]
    return text


_LEADING_FILLER = re.compile(r"^\s*(?:(?:嗯+|呃+|额+|啊+|哦+|噢+|唔+)(?:[\s,，、.。…~～]+|$))+")
_SAME_BOUND = re.compile(r"(\d+(?:\.\d+)?\s*(?:岁|万元|万|元|次|笔|个|种)?)\s*(?:和|或|及|或者)\s*\1\s*(以上|以下)")


_GUESS_MARK = r"(?:难道|恐怕|该不会|不会|总不会|总不至于|不至于|莫非|(?:你)?可别告诉我|别告诉我|是不是|是否)"
_GUESS_FILL = r"(?:真的?|还|又|都|连|就|也|已经|只有|才|个个|家家|人人|能|会|可能)*"
_GUESS_NUMBER = (r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*(?:多|来)?\s*(?:个|人|位|户|家|万|亿|成|%|岁|次|元|块|倍)?"
                 r"(?:(?<=成)半|多|左右)?")
_GUESS_END = r"\s*(?:了)?\s*[吧吗呢啊]{0,2}\s*(?=[？?。！!，,]|$)"
#: 难道是传统行业的两倍以上: the multiple asked, without the guess (到底是几倍 follows)
_GUESSED_MULTIPLE = re.compile(rf"{_GUESS_MARK}{_GUESS_FILL}(?:是|有)\s*([^，,。？?]{{1,10}}?)的\s*{_GUESS_NUMBER}(?:以上|以下)?{_GUESS_END}")
#: 难道还不到一千个吗 / 恐怕连二十万都不到吧 / 是不是一个都没有 / 难道是洛阳涧西支行 / 不会是工人吧 / 难道比现在还多:
#: a guess, checked by the figure the question asks for (a number or a name in it is no condition)
_GUESS = re.compile(
    r"[，,]?\s*(?:你)?可别告诉我[^，,。？?]*"
    rf"|[，,]?\s*{_GUESS_MARK}{_GUESS_FILL}(?:"
    rf"(?:不到|没有|没|低于|超过|高于|不足|凑不够|不够|够不上|少于|多于|有|在|达到|上)?{_GUESS_FILL}{_GUESS_NUMBER}"
    rf"{_GUESS_FILL}(?:没有|不到|没|不够|以上|以下)?"
    rf"|(?:不)?(?:是|就是)?\s*[^，,。？?\d]{{0,10}}?(?:明显)?(?:偏高|偏低|最高|最低|最多|最少|更高|更低|更多|更少)"
    # 是不是连一线的一半都不到: a guess as a fraction or multiple of another group's figure
    rf"|[^，,。？?\d]{{1,8}}?的\s*(?:一半|1半|半数|\d+\s*倍|\d+\s*分之\s*\d+){_GUESS_FILL}(?:没有|不到|没|不够|以上|以下|多|还多|还少)?"
    rf"|(?:不)?(?:是|就是)\s*[^，,。？?\d]{{1,10}}?"
    rf"|(?:比[^，,。？?]{{1,6}}?)?(?:还)?(?:更)?(?:多|少|高|低|大|小|降了|升了|涨了|跌了|明显偏高|明显偏低|偏高|偏低)"
    # 难道没有增长吗: whether it moved, which the change asked answers
    rf"|(?:没有|没)?(?:增长|下降|增加|减少|变化|变)(?:了)?)"
    + _GUESS_END)
#: 交叉表：行是职业类型，列是是否持有理财，格子里填客户数 / 按城市等级和性别交叉看: a grouping by both
_CROSS_TABLE = re.compile(r"行(?:是|为|放)\s*([^，,。；;]{2,10}?)\s*[，,；;]\s*列(?:是|为|放)\s*([^，,。；;]{2,10}?)\s*(?:[，,；;]|$)"
                          r"|(?:拉|出|做|来)?(?:个|一个|一张|张)?交叉表\s*[:：，,]?|交叉(?:着|起来|来)?(?:看|统计|分析|汇总|分组)(?:一下)?"
                          # 按城市级别和性别交叉，… / 交叉一下 / …人数 交叉呢: crossed, said alone (not 交叉持有 / 交叉销售)
                          r"|交叉(?:一下)?(?=\s*[呢吧]?\s*(?:[，,。；;:：？?]|各|每)|\s*[呢吧]?\s*$)"
                          r"|[，,]?\s*格子里(?:填|放|是|写)")
#: 做过3次及以上产品对比 / 至少做过一次产品对比 / 一次产品对比都没做 / 人均做了几次产品对比: the count of
#: comparisons, said around the words 产品对比 (which alone could also ask to compare products)
_COMPARES_SAID = re.compile(r"(?:(至少|起码|最少)\s*)?(?:做|有|进行)?(?:过|了)?\s*(\d+|一|几|多少)\s*次\s*"
                            r"(及以上|以上|或以上|及以下|以下)?\s*(?:的)?\s*产品对比(?:次数)?"
                            r"(\s*(?:都|也)\s*(?:没有|没|未)(?:做|有|进行)?过?)?")


def _compares_said(m: re.Match) -> str:
    n = "1" if m.group(2) == "一" else m.group(2)
    if m.group(4) and n == "1":   # 一次产品对比都没做
        return "产品对比次数为0"
    if n in ("几", "多少"):
        return f"产品对比次数{n}次"
    bound = "至少" if m.group(1) else ""
    return f"产品对比次数{bound}{n}次{m.group(3) or ''}"


#: 信用卡当月有消费（大于0） / 有交易（交易金额大于0）: 有消费 / 有交易 defined in brackets, by the bound said there
_HAS_DEFINED = re.compile(r"(信用卡)?\s*(?:当月|本月|这个月)?\s*有\s*(消费|刷卡|交易)\s*[（(]\s*([^（）()]*?"
                          r"(?:大于|超过|高于|不低于|至少|>|≥|以上)[^（）()]*?)\s*[）)]")


def _has_defined(m: re.Match) -> str:
    said = m.group(3)
    if re.search(r"消费|刷卡|交易", said):   # the column said again inside
        return ("信用卡" if m.group(1) and "信用卡" not in said and "消费" in said else "") + said
    if m.group(2) in ("消费", "刷卡"):        # （大于0） / （金额大于0）: the card spend
        return "信用卡月消费" + said.removeprefix("金额")
    return "交易" + (said if said.startswith(("金额", "笔数")) else "金额" + said)


#: 活跃率最高的网点是不是广州天河支行: a name guessed for the top (or bottom) one asks which it is
_GUESSED_TOP = re.compile(rf"(最[^，,。？?的]{{1,4}}的(?:[^，,。？?的]{{1,6}}?)?)(?:{_GUESS_MARK}|难道是|该不会是|不会是|莫非是){_GUESS_FILL}(?:是|就是)?\s*"
                          rf"[^，,。？?\d]{{1,12}}?{_GUESS_END}")
#: 把最高那家的活跃率报给我: the top one just asked about
_THAT_TOP = re.compile(r"(最(?:高|低|多|少|大|小))(?:的)?那(?:1|一)?(?:家|个|位|类|档|段)的?")
#: …是传统行业的几倍？到底是几倍: the multiple asked once
_ASKED_AGAIN = re.compile(r"(?<=几倍)[？?，,。]\s*(?:那)?(?:到底|究竟|具体)?(?:是)?(?:几|多少)倍[？?。]?")


#: 七类每类一个数 / 三个级别的数都给我 / 男/女 × 已婚/未婚/离异六个组合: how many groups there are, said again
_GROUPS_COUNTED = re.compile(r"[，,]?\s*(?:这|那)?(?:\d+|两)\s*个?(?:类|种|家|档|组|等级|级别|级|阶段|段|组合|格子)\s*(?:的数)?\s*"
                             r"(?:每(?:类|种|家|档|组|个|级)|各|都)(?:给我|给|要|列出来|列出|列|出|报)*\s*(?:一下|1下)?(?:一个数|1个数|个数|数)?(?:都)?"
                             r"(?:给我|要)?|(?<=[×x*])[^，,。？?]*?\d+\s*个(?:组合|格子)")
#: 高（或低）多少 / 多了几个？少了就报负数 / 按已婚减未婚算: the sign of a difference, which the answer states anyway
_SIGN_SAID = re.compile(r"[（(]\s*或(?:者)?(?:高|低|多|少)\s*[）)]|[，,。]?\s*(?:如果)?(?:少了|减少了?|下降了?|低了)(?:的话)?\s*(?:就)?"
                        r"(?:报|写|记|用|给)(?:成)?负(?:数|值)")


def _difference_order(text: str) -> str:
    """按已婚减未婚算: the first named minus the second, which is how a difference is stated; said the other way
    round it stays (and is not understood) rather than be answered with the opposite sign."""
    m = re.search(r"[，,。；;]?\s*(?:按|用)\s*([^，,。？?减]{1,8}?)\s*(?:减去?|-)\s*([^，,。？?]{1,8}?)\s*(?:算|计算|来算)?(?=[。.？?！!]*$)", text)
    first, second = (m.group(1).removesuffix("的"), m.group(2).removesuffix("的")) if m else ("", "")
    if m and 0 <= text.find(first) < text.find(second, text.find(first) + len(first)) < m.start():
        return text[:m.start()] + text[m.end():]
    return text


#: 我猜… / 有人说… / 我想验证一个判断：… — a claim put up to be checked, not a condition
#: 师傅说 / 听同事讲 / 领导都说: someone else's claim
_SAYER = r"(?:听|据)?\s*(?:师傅|领导|同事|行长|老师|别人|有人|大家|人家|前辈|朋友)(?:都|也)?(?:说|讲)(?:过)?"
_POLITE_LEAD = r"^\s*(?P<lead>(?:麻烦|请|帮我|帮忙|劳驾)[^，,。？?：:]{0,8}[，,:：]\s*|(?:嗯|呃|额|啊)+\s*)?"
_CLAIM = re.compile(_POLITE_LEAD + r"\s*(?:我猜|我估计|估计|我觉得|我感觉|我认为|我印象中|印象中|有人说|听人说|听说|据说|大家都说|都说|"
                    r"我的判断是|我判断|我的假设是|" + _SAYER + r")\s*[:：，,]?\s*"
                    r"(?P<claim>[^，,。？?！!；;]+?)\s*(?:[，,]\s*(?:是不是这样|是不是真的|对不对|对吗|是吗|是否属实|真的吗|有没有道理)\s*)?"
                    r"(?:[，,。？?！!；;]\s*(?P<rest>.*))?$")
#: …人均资产已经过了50万: the figure the claim guesses, at its end
_CLAIMED_FIGURE = re.compile(r"(?:已经|都|应该|肯定|大概|基本|早就|早已|能)?\s*(?:过了|超过了?|突破了?|达到了?|上了|不到|高于|低于|不足|少于|多于"
                             r"|差不多|大约|将近|接近|约)\s*(?:有|是|在)?"
                             r"\s*\d+(?:\.\d+)?\s*(?:万|亿|千)?\s*(?:%|个|人|位|户|元|块|次|岁)?\s*(?:了|吧|左右)?$")
#: 60岁及以上的女客户 | 基本不用手机银行: who the claim is about, and what it says of them
_CLAIM_SUBJECT = re.compile(r"^(.+?(?:客户|客群|人群|群体|年轻人|老年人|老人|女性|男性|用户|的人))"
                            r"(?=基本|都|大多|大部分|普遍|几乎|已经|肯定|应该|比较|更|最|很|不|没|只|也|还|其实|确实|会)")
_CLAIM_PRONOUN = re.compile(r"^(?:那)?(?:她们|他们|这些人|这批人|这些客户|这帮人|这群人|这部分人|其)")
_VERIFY_ONLY = re.compile(r"^(?:(?:帮我)?(?:核实|验证|确认|查|看)(?:一下)?|给我具体(?:的)?数(?:字)?|(?:具体|实际|到底|究竟)(?:上)?(?:是)?多少|要具体数"
                          r"|[，,]\s*我[^，,。？?]{0,10}?(?:要用|用的)|[，,。？?！!\s呢吧啊])*$")
_ASKS = re.compile(r"多少|几|哪|怎么样|如何|排|最高|最低|最多|最少|分别|各|多大|多高|多长")


#: 我想验证一个判断：… / 有个假设想核实一下：: a frame around the question itself
_CHECK_FRAME = re.compile(_POLITE_LEAD + r"(?:(?:我|有个|有一个)?(?:想|要)?(?:验证|核实|检验|确认)(?:一个|1个|一下|1下|下)?"
                          r"(?:判断|假设|说法|猜想)?|(?:我)?有(?:个|一个|1个)(?:判断|假设|猜想)(?:想|要)?(?:验证|核实|检验|确认)(?:一下)?)"
                          r"\s*[:：]\s*")
#: 各城市级别的人均资产，有没有哪个级别比一线城市还高: a guess about the groups, which the grouped figures answer
_GROUP_GUESS = re.compile(r"[，,]\s*(?:有没有|是不是|是否有)(?:哪个|哪些|哪一个|哪家|哪类)[^，,。？?]{0,6}?比[^，,。？?]{1,12}?(?:还|更)?"
                          r"(?:高|低|多|少|大|小)[吗呢]?(?=[，,。？?！!]|$)")


#: 我感觉都挺年轻的 / 我估计得有两成吧 / 听说只有六成左右 / 师傅说… / 我只知道高净值好像八百多: a guess said beside the question
_HEDGE = re.compile(r"^\s*(?:我|我们)?(?:猜|估计|感觉|觉得|以为|记得|听说|只知道|印象(?:里|中)?)|^\s*(?:听说|据说|听人说|好像)"
                    r"|^\s*" + _SAYER)
#: 是真的吗 / 真有那么多吗 / 对不对 / 是不是都挺高的 / 还是其实少了 / 超过一次没有: whether the guess holds, which the
#: figure asked for answers
_CHECK = re.compile(r"^\s*(?:(?:是|这是)?(?:真的|这样)(?:吗|吧|么)?|(?:是不是|是否)?真(?:的)?(?:有)?那么(?:多|高|少|低|大|小)(?:吗|吧|么)?"
                    r"|对不对|对吗|对吧|没错吧|是不是(?:真的|这样)|是不是\s*(?:都|也)?\s*(?:挺|很|比较|特别)?(?:高|低|多|少|大|小|年轻|老)(?:的)?(?:吗|吧)?"
                    r"|还是(?:其实|说)?(?:少|多|低|高|降|涨|减少|增加)了(?:吗|吧|呢)?"
                    r"|有没有(?:超过|过|到|达到)\s*(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*[个次万元岁%成位户人]?"
                    r"|(?:超过|过了?|到|达到|不到|够)\s*(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*[个次万元岁%成位户人]?(?:没有|了吗|吗|没))\s*$")


#: 哪家最大？是不是上海浦东支行？: the name guessed for the one asked about
_NAME_GUESS = re.compile(r"^\s*(?:是不是|是否|会不会(?:又|还)?是|难道(?:又|还)?是|该不会(?:又|还)?是|莫非是|不会(?:又|还)?是)\s*[^，,。？?！!\d]{1,14}?\s*[吗吧呢啊]?\s*$")


_END_PARTICLES = re.compile(r"[呢吗吧啊呀嘛哦]+\s*$")
_LEAD_ONLY = re.compile(r"^\s*(?:麻烦|请|帮我|帮忙|劳驾|你好|您好)[^，,。？?：:]{0,8}$")


def _hedges_dropped(text: str) -> str:
    """开户满10年的老客户，我听说有两千多个，真有那么多吗？具体是多少 -> 开户满10年的老客户，具体是多少: a guess (and whether
    it holds) said after the question's start is no condition; a guess opening the question (after a polite
    lead-in) is left to _claim_checked, which keeps who it is about."""
    pieces = re.split(r"([，,。？?！!；;])", text)
    clauses = list(zip(pieces[0::2], pieces[1::2] + [""]))

    def checks(clause: str) -> bool:
        return bool(clause.strip()) and bool(_CHECK.match(_END_PARTICLES.sub("", clause)))

    if not any(_ASKS.search(c) for c, _ in clauses if not _HEDGE.match(c) and not checks(c)):
        return text
    kept, hedging, opened = [], False, False
    for clause, mark in clauses:
        if not opened:
            kept.append(clause + mark)
            opened = bool(clause.strip()) and not _LEAD_ONLY.match(clause)
            continue
        if _HEDGE.match(clause):
            hedging = True
        elif clause.strip() and not checks(clause):
            hedging = False
        guessed = _NAME_GUESS.match(_END_PARTICLES.sub("", clause)) and re.search(r"哪|谁|最", "".join(kept))
        if not (hedging or guessed or checks(clause)):
            kept.append(clause + mark)
    return re.sub(r"[，,]\s*(?=[？?。！!]|$)", "", "".join(kept)).strip() or text


def _claim_checked(text: str) -> str:
    """我猜北京两家支行的已婚客户人均资产已经过了50万，核实一下 -> the figure (without the guess);
    有人说60岁及以上的女客户基本不用手机银行，她们平均登录几次 -> those customers' figure (without the claim);
    我猜年轻人登录得最勤，是不是这样？哪个年龄段最高 -> the question after the claim. Otherwise unchanged."""
    text = _CHECK_FRAME.sub(lambda m: m.group("lead") or "", text)
    if re.search(r"按|各|每|分别", text):
        text = _GROUP_GUESS.sub("", text)
    m = _CLAIM.match(text)
    if m is None:
        return text
    lead, claim, rest = m.group("lead") or "", m.group("claim"), (m.group("rest") or "").strip()
    if rest and not _VERIFY_ONLY.match(rest) and _ASKS.search(rest):
        if _CLAIM_PRONOUN.match(rest):
            subject = _CLAIM_SUBJECT.match(claim)
            return lead + subject.group(1) + _CLAIM_PRONOUN.sub("", rest) if subject else text
        return lead + rest
    figure = _CLAIMED_FIGURE.search(claim)
    return lead + claim[:figure.start()] + "是多少" if figure else text


def _amounts_written(text: str) -> str:
    """1,000,000元 / 50W / 0.8百万 / 百万级客户: amounts as a teller types them, said as 万."""
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    text = re.sub(r"(?<=\d)\s*[Ww](?![A-Za-z])", "万", text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*百万", lambda m: f"{float(m.group(1)) * 100:g}万", text)
    return re.sub(r"百万级(?:别)?(?:以上)?的?(?=客户|用户|大户)", "100万及以上的", text)


def _conditions_framed(text: str) -> str:
    """假设只看… / 如果只看…的话 / 在…的前提下 / （流失预警客户保留）: the framing of a condition, not one;
    持有理财的和没持有理财的 / 分两组: the two groups of holding it; 按一线、二线、三线城市等级: by city level."""
    text = re.sub(r"假设(?=只|把|不|剔|去|排|仅|在|按|所有|是|针对)|如果(?=只看|只算|仅看)", "", text)
    text = re.sub(r"(只看|只算|仅看)([^，,。？?]{1,20}?)的话", r"\1\2", text)
    text = re.sub(r"[（(][^（）()]{1,16}保留[^（）()]{0,6}[）)]", "", text)
    text = re.sub(r"(?:持有|有|买了|配置了?)(理财|基金|保险|存款)(?:的)?(?:客户)?\s*(?:和|与|跟|、|以及)\s*(?:没|没有|未|不)"
                  r"(?:持有|有|买|配置)\1(?:的|(?=\s*[，,。？?；;]|\s*$))", r"按是否持有\1分", text)
    text = re.sub(r"[，,]?\s*分(?:成)?(?:两|2)组", "", text)
    text = re.sub(r"(?:这)?(?:两|2)组(?=的|各|分别)", "各组", text)
    text = re.sub(r"(已婚|未婚|离异)状态", r"\1", text)
    text = re.sub(r"按\s*(?:[一二三]线(?:城市)?\s*[、，,和及与]?\s*){2,}城市等级", "按城市等级", text)
    # 登录过手机银行（至少1次）: the bound 登录过 already says
    return re.sub(r"[（(]\s*(?:至少|起码)\s*(?:1|一)\s*次\s*[）)]", "", text)


#: 重度用户（当月登录≥20次） / 轻度用户（登录1到19次）: a name the asker defines in brackets is its definition
_NAME_DEFINED = re.compile(r"(重度|中度|轻度|深度|浅度|高频|低频|高活跃|低活跃|沉睡|高消费|低消费|大额|小额|高收入|低收入|"
                           r"核心|头部|尾部|长尾|忠实|其他|其余|剩下的)(?:用户|客户|人群|群体)\s*[（(]\s*([^（）()]*?\d[^（）()]*?)\s*[）)]")


def _name_defined(m: re.Match) -> str:
    if not re.search(r"[≥≤<>]|以上|以下|不足|不到|超过|至少|不少于|到|至|-|次|万|岁", m.group(2)):
        return m.group(0)
    return f"{m.group(2)}的客户"


def _laid_out(text: str) -> str:
    """How the figures should be laid out, said in chat (一个一个报给我, 各报一个, 点个名, 每一格, 每个月一个数, 从新客户到
    流失客户都要, 年报附表需列出全部年龄段): each group and figure asked is shown anyway, so these ask for nothing more."""
    grouped = re.search(r"按|各|每|分(?=[\u4e00-\u9fff]{2})|交叉|×", text)
    text = re.sub(r"[，,]?\s*(?:你)?(?:1个1个|逐个|挨个)(?:地)?(?:报|列|说|念)(?:给我|一下|出来)?", "", text)
    text = re.sub(r"各(?:报|给|来|出|要)(?:我)?1个(?:数|数字)?(?![\u4e00-\u9fff])", "", text)
    text = re.sub(r"(每个?月|各月)[，,]?\s*(?:给|报|出)?(?:我)?1个(?:数|数字)", r"\1", text)
    if "哪" in text:
        text = re.sub(r"[，,\s]*点个?名(?:字)?(?:一下)?[呢吧]?(?=[，,。？?！!\s]|$)", "", text)
    text = re.sub(r"每(?:1)?(?:格|个格子)", "各", text)
    if grouped:
        text = re.sub(r"[，,。]?\s*[^，,。？?]{0,6}?(?:需|要|需要|须|得)(?:列出|列|给)(?:全部|所有|每个)的?"
                      r"(?:年龄段|城市|网点|支行|职业类型|职业|生命周期阶段|阶段|等级|档)(?:都要?)?[呢吧啊]?(?=[，,。.？?！!]|$)", "", text)
        text = re.sub(r"[，,]?\s*从\s*[^，,。？?到]{1,8}?\s*到\s*[^，,。？?]{1,8}?\s*(?:都要|都列|全要|都给|都算|全都要)(?:列出来)?", "", text)
        # 想看哪段渗透低: what the grouped figures are for
        text = re.sub(r"[，,\s]+(?:我)?想(?:看|知道|瞧)(?:看|一下)?哪[^，,。？?]{0,8}?(?:低|高|少|多|差|好|弱|强)(?:一些|些|点)?[呢吧]?"
                      r"\s*(?=[，,。？?！!]|$)", "", text)
    return re.sub(r"[，,]\s*(?:我)?(?:想|要)(?:对比|比较|比)(?:一下|下)?\s*$", "", text)


_POLITE_OPENING = re.compile(r"^\s*(?:麻烦|请|劳驾)?\s*(?:你|您)?\s*(?:帮我|帮忙|给我)?\s*(?:看一下|查一下|看看|查查|看下|查下)\s*[，,]\s*")
_WHAT_FOR_AT_END = re.compile(r"[，,]\s*我(?:写|做|准备|整理|弄)[^，,。？?]{0,8}?(?:要用|用的|用)[。.！!]?\s*$")


#: A work group's message: a mention, +1, a quoted message it replies to (「回复 张三：…」)
_MENTION = re.compile(r"@[^\s@，,。？?！!]{1,12}\s*")
_PLUS_ONE = re.compile(r"(?:^|(?<=[\s，,。！!？?」]))\+1(?!\d)\s*[，,]?")
_QUOTED_REPLY = re.compile(r"「\s*回复\s*[^：:」\s]{1,8}\s*[：:]\s*([^」]*)」\s*[，,]?")
#: …what a group message says around the question: thanks, hurry, why, what the sender is doing; a clause that is only this
_CHAT_ASIDE = re.compile(
    r"\s*(?:(?:麻烦|请)?(?:速回|尽快回复?|快点回|回我一下|回一下)|收到(?:请|后|的话)?(?:回复|回我)?(?:一下)?"
    r"|谢啦|谢谢|多谢|感谢|辛苦(?:了|啦)?|拜托(?:了|啦)?|(?:老板|领导|行长)[^，,。？?]{0,10}要|群里[^，,。？?]*"
    r"|(?:刚|刚刚)?开完[^，,。？?]{0,6}|客户还在等[^，,。？?]*|顺便吐槽[^，,。？?]*"
    r"|(?:下午|明天|等下|一会儿?)要[^，,。？?]*|(?:周报|日报|月报|汇报)要用|(?:我|我也)?要这个数"
    r"|用百分比回|给个百分比就行|只要(?:网点名|名字|金额|数字?|客户号|百分比|结果)[^，,。？?]{0,8}?就行|只要金额|不用报名字|(?:客户号|客户ID|名字|姓名|网点名|金额|资产|\+)+就行"
    r"|别给我[^，,。？?]{1,8}|要具体[^，,。？?]{1,6})\s*[呢吧啊哈]*\s*$")


def _chat_message(text: str) -> str:
    """@数据助手 …，麻烦速回 / 「回复 张三：深圳的客户平均年龄多大？」+1，不过我只要男客户的: the question inside a group message.
    A reply that asks its own question replaces the quoted one; one that only narrows it (不过我只要男客户的) adds to it."""
    text = _PLUS_ONE.sub("", _MENTION.sub(" ", text))
    quoted = _QUOTED_REPLY.search(text)
    if quoted:
        rest = (text[:quoted.start()] + text[quoted.end():]).strip(" ，,")
        rest = _POLITE_OPENING.sub("", _LEADING_FILLER.sub("", rest)).strip(" ，,")   # 麻烦帮我看一下，「回复…」
        own = len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 8 and not re.match(r"(?:不过|但|只要|只看|那)", rest)
        rest = re.sub(r"^(?:不过|但是?)\s*(?:我)?\s*只要", "只看", rest)   # …+1，不过我只要男客户的: narrowed
        text = rest if own else f"{quoted.group(1).rstrip('？?。 ')}，{rest}"
    pieces = re.split(r"([，,。！!；;？?)）])", text)
    kept = [p for i, p in enumerate(pieces) if i % 2 or not _CHAT_ASIDE.fullmatch(p)]
    return "".join(kept) if any(p.strip() for p in kept[::2]) else text


def _said_around(text: str) -> str:
    """麻烦帮我看一下，… / 嗯 … / …呢？ / …，我写周报要用。: an opening, a closing particle and what the figure is for, around
    a question that asks by itself (…？那二线城市呢 / …？未婚的呢 keep theirs: the same asked of another value)."""
    text = _WHAT_FOR_AT_END.sub("", _POLITE_OPENING.sub("", _LEADING_FILLER.sub("", text) or text))
    clauses = [c for c in re.split(r"[，,？?。.！!；;]", text) if c.strip()]
    sibling = clauses and (re.match(r"\s*(?:那么?|换成|改成)", clauses[-1]) or len(clauses[-1].strip()) <= 6)
    if len(clauses) > 1 and any(_ASKS.search(c) for c in clauses[:-1]) and not sibling:
        text = re.sub(r"[呢吧]([？?。.！!\s]*)$", r"\1", text)
    return text


_ASKED_BY_VOICE = re.compile(r"多少|几|是谁|哪|比例|占比|怎么样")


def _dictated(text: str) -> str:
    """存款 理财 基金 保险 四样 都有的 客户 有多少个 四样都有: a voice transcript — words set apart by pauses, and what was
    asked said again at the end. The repeat is dropped (when at least half of it was said before the ask), a
    gloss after a pause (就是…) is its own clause, and the pauses inside a phrase close up."""
    if len(re.findall(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", text)) < 3:
        return text
    words = text.split()
    asked = [k for k, w in enumerate(words) if _ASKED_BY_VOICE.search(w)]
    if asked and asked[-1] + 1 < len(words):
        head, tail = "".join(words[:asked[-1] + 1]), words[asked[-1] + 1:]
        said = [_END_PARTICLES.sub("", re.sub(r"[？?。.！!]+$", "", w)) for w in tail]   # 四样都有呢？
        if 2 * sum(len(w) for w in said if w in head) >= sum(len(w) for w in said):
            words = words[:asked[-1] + 1]
    text = re.sub(r" +(?=就是|也就是|我是说|我指的是)", "，", " ".join(words))
    return re.sub(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff\d])|(?<=\d) +(?=[\u4e00-\u9fff])", "", text)


#: 剔除异常值后的数——总资产在500万及以上的先拿掉再算: "outliers" named, then said which; without the which,
#: what is an outlier is not known and the words stay (not understood)
_OUTLIERS_NAMED = re.compile(r"(?:要|请|先)?(?:剔除|去掉|去除|排除|拿掉|刨掉)(?:掉)?(?:异常值|离群值|极端值|异常客户|离群点)(?:之?后)?的?(?:数|结果)?")
_OUTLIERS_SAID = re.compile(r"剔除|去掉|去除|排除|拿掉|刨掉|不算|不计|除外|不要")


def _outliers_said(text: str) -> str:
    rest = _OUTLIERS_NAMED.sub("", text)
    return rest if rest != text and _OUTLIERS_SAID.search(rest) else text


#: 1. 范围：… 2. 条件：… / ①…②… / 一是…，二是…: the points of a message, each a part of one question
_POINT = re.compile(r"(?:(?:^|(?<=[\s：:；;。]))\d{1,2}\s*[.、)）](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]"
                    r"|(?:^|(?<=[\s：:，,；;。]))[一二三四五六七八九]是)\s*")
#: the label a point starts with: what kind of part it is, said by the words that follow (read before 繁→简)
_POINT_LABEL = re.compile(r"^(?:范围|範圍|条件|條件|筛选|篩選|人群|对象|對象|时间|時間|指标|指標|口径|口徑|维度|維度|分段|排序|输出|輸出"
                          r"|要求|要)\s*[:：]\s*")


def _points_listed(text: str) -> str:
    numbered = _POINT.findall(text)
    if len(numbered) < 2 or ("一是" in text) != ("二是" in text):
        return text
    head, *points = _POINT.split(text)
    points = [_POINT_LABEL.sub("", p.strip().rstrip("，,；;。")) for p in points]
    return "，".join(p for p in [head.strip().rstrip("：:，,"), *points] if p)


def normalize(question: str) -> str:
    # ①②: read before NFKC makes them plain digits
    text = _T2S.convert(unicodedata.normalize("NFKC", _points_listed(question or ""))).replace("於", "于")   # OpenCC keeps 屬於's 於
    # emoji (🙏 🤔) and their joiners: tone, not words
    text = "".join(" " if unicodedata.category(c) == "So" else c for c in text).replace("\ufe0f", "").replace("\u200d", "")
    text = _user_story(set_notation_said(spreadsheet_said(text)))   # =COUNTIFS(…) / card(A ∩ B) / 作为…，我想知道…
    text = re.sub(r"(?:截至)?(?:本)?报告期(?:末)?", "基准月", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])", "。", text)   # 摸底.流失客户…: a full stop typed as '.'
    text = _said_around(_chat_message(text))
   # 报告期末 in an annual report is the latest month
    text = _CAPITAL_NUMERAL.sub(lambda m: m.group().translate(_CAPITALS), text)
    text = re.sub(r"人民币|(?i:\bRMB\b|\bCNY\b)", "", text)   # the currency is always 元 here
    text = re.sub(r"基准日", "基准月", text)   # the data is monthly: the day of the 基准 is its month
    text = _outliers_said(_amounts_written(text))
    text = _YEAR.sub(lambda m: "".join(str(_DIGITS[c]) for c in m.group(1)), text)
    for pattern, plain in (_HEADLINE + _SLANG + _OPERATIONS + _SHORTHAND + _EVERYDAY + _XIANG_E + _CANTONESE + _TAIWANESE + _CLASSICAL + _FORMAL + _REPORT_FORM + _NORTHERN + _SOUTHWEST + _SHANGHAINESE
                           + _CHAT_SHORTHAND + _PRIVATE_BANKING + _SQL_SAID):
        text = pattern.sub(plain, text)
    text = _LEVELS.sub(lambda m: "、".join(f"{c}线" for c in m.groups() if c), text)
    text = re.sub(r"(?<![上下])半年", "6个月", text).replace("一年", "12个月")   # 上半年 is January to June
    text = re.sub(r"([上下])一个?月", r"\1个月", text)   # 上一个月 is last month, not a count of months
    text = _WAN_TAIL.sub(lambda m: str(_number(m.group(1)) * 10000 + _number(m.group(2)) * 1000), text)
    text = _NUMERAL.sub(lambda m: m.group() if m.group() == "一" and m.start() and text[m.start() - 1] in _WORD_BEFORE_ONE
                        else _apart(text, m.start()) + str(chinese_number(m.group())), text)
    text = _dictated(re.sub(r"(为|是|等于|大于|高于|超过|多于|小于|低于|少于)零", r"\g<1>0", text))   # 登录次数为零
    text = _laid_out(text)
    # A和B，户均AUM后者是前者的几倍: the second named over the first, said in the order the ratio is read
    m = re.match(r"^(.{2,30}?)(和|与|跟)(.{2,30}?)[，,]\s*(.*?)(前者|后者)(?:是|为)(前者|后者)的\s*(几倍|多少倍)", text)
    if m and m.group(5) != m.group(6):
        first, second = (m.group(3), m.group(1)) if m.group(5) == "后者" else (m.group(1), m.group(3))
        text = f"{first}{m.group(2)}{second}，{m.group(4)}{m.group(7)}" + text[m.end():]
    # 月消费过万 / 资产过百万: more than that round amount (登录过3次 is a verb's 过, not this)
    text = re.sub(r"(?<![超越经通])过([十百千]?)万(?![次笔])", lambda m: f"超过{ {'': 1, '十': 10, '百': 100, '千': 1000}[m.group(1)]}万", text)
    text = re.sub(r"(排除|剔除|去除|除去|刨除)掉", r"\1", text)   # 把冷静期里的排除掉
    text = re.sub(r"(?:信用卡)?花(?:得|的|钱)?最(多|少)", r"信用卡消费最\1", text)
    text = re.sub(r"(?:空着|为空|是空的|留空|空白)(?=的)", "缺失", text)   # 月收入空着的不算
    text = re.sub(r"[，,]?\s*这\s*[二三四五六七八九两\d]\s*档", "", text)   # 普通、潜力、临界、高净值这四档: the groups just listed
    # 十五家支行之中哪家最多: all of them, the grouping (not a top 15)
    # (A与B两家网点中 are those two, together)
    text = re.sub(r"(?:^|(?<=[，,。？?；;\s]))(?:这|全行|全部|所有)?\s*(?:[3-9]|\d\d)\s*(?:家|个)?\s*(支行|网点)\s*(?:之中|当中|中间|中|里面|里)",
                  r"各\1中", text)
    text = re.sub(r"年龄\s*(?:在|为|是)?\s*(?=\d+\s*岁)", "", text)   # 年龄在60岁及以上: the 岁 names the column
    text = text.replace("人均值", "平均值")   # 人均值 (值 is not 职)
    text = re.sub(r"按(?:有没有|是否)(?:买|持有|有)了?(存款|理财|基金|保险)", r"按是否持有\1", text)   # 按有没有买理财分两组
    text = re.sub(r"[，,]?\s*(?:按|用|以)百分比(?:说|回答|回|表示|给)(?:我|出来)?", "", text)   # …变化了多少，按百分比说
    text = re.sub(r"(?<=[资产额入])到了(?=\s*\d)", "达到", text)   # 总资产到了100万
    # 在扣除60岁及以上的客户之后: those left out
    text = re.sub(r"(?:在)?(?:扣除|扣掉)([^，,。？?]{1,20}?)(?:的客户)?(?:之后|以后|后)", r"剔除\1", text)
    text = re.sub(r"既不计入分子\s*[，,]?\s*(?:亦|也)不计入分母", "不计入", text)
    text = re.sub(r"(平均年龄|年龄的平均值?|人均年龄)\s*(是|为)?\s*(?:几岁|多少岁)", r"\1\2多少", text)   # 平均年龄是几岁
    text = re.sub(r"登([录陆])(过)?\s*((?:\d+|一)\s*次)\s*(手机银行|APP|app|网银)", r"\4登\1\2\3", text)   # 登录过一次手机银行
    text = re.sub(r"(至少|最少|起码|不少于)\s*(手机银行|APP|app|网银)?\s*登([录陆])过?\s*(?=\d+\s*次)", r"\2登\3\1", text)   # 至少登录过3次
    text = re.sub(r"占\s*(?:他们|她们|这些人|这些客户|这群人|其)(?:的|中|里|当中)?\s*(?=多少|几成|比例|百分之几)", "占", text)   # 占他们多少
    text = re.sub(r"持有产品\s*(\d+)\s*种\s*(及以上|以上|及以下|以下|或以上)?", r"持有\1种\2产品", text)   # 持有产品2种及以上
    # 不是「传统行业」的客户: the negation reaches through the quotes
    text = re.sub(r"(不是|非|除了|除去|不属于|不含|不包括)\s*[「“\"]([^」”\"]{1,12})[」”\"]", r"\1\2", text)
    text = re.sub(r"(?<=的)跳过(?:去)?", "不算", text)   # 月收入为空的跳过   # 花得最少的5个客户: the card spend
    text = re.sub(r"(\d+)\s*个([^，,。？?]{0,8}?)是哪\s*\1\s*个", r"\1个\2是哪些", text)   # 最高的3个城市是哪3个
    # 有消费（大于0）但消费最少的5个: the ranking after 但 is its own clause, not another condition
    text = re.sub(r"但(?:是)?(?=[^，,。？?]{0,12}最(?:多|少|高|低|大|小))", "，", text)
    # 新客户、成长客户一直到流失客户，这几个生命周期阶段每个: every value from the first to the last, said as the dimension
    text = re.sub(r"^[^，,。？?]*(?:一直到|一直排到|一路到)[^，,。？?]*[，,]\s*(?:这|那)(?:几|\d+)个\s*", "", text)
    # 把还在营销冷静期里的排除: said as 剔除…, the exclusion the grammar reads
    text = re.sub(r"把([^，,。？?把]{1,16}?)(?:的)?(?:客户)?(?:排除|剔除|去除|除去|刨除|拿掉|拿出去|去掉|扣掉|扣除)(?:在外)?", r"剔除\1", text)
    text = re.sub(r"(\d|各|每个?)\s*月末", r"\1月", text)   # 12月末 / 各月末: the month (data is monthly)
    text = re.sub(r"(\d)月(环比|同比)", r"\1月 \2", text)   # 10月比9月环比: the month, then the comparison
    # 以2025年12月为基期，2026年10月…的变化率: the base month of a change, said as 相比
    text = re.sub(r"以\s*((?:20\d{2}\s*年\s*)?\d{1,2}\s*月份?|去年年?底|去年年末|上年末|年初)\s*为\s*(?:基期|基准期|基数|基准月|基点|起点)",
                  r"相比\1", text)
    # 2026年10月比9月: the second month is of the same year
    text = re.sub(r"((20\d{2})\s*年\s*\d{1,2}\s*月份?)\s*(比|和|与|较|相比|对比|跟|同|vs|环比|同比)\s*(?=\d{1,2}\s*月)",
                  r"\1\3\2年", text)
    # 2026年2月和2026年8月对比，8月的…比2月多: with one year named, a bare month is of that year
    years = set(re.findall(r"(20\d{2})\s*年\s*\d{1,2}\s*月", text))
    if len(years) == 1:
        text = re.sub(r"(?<=[比和与跟到至、，,是在的])\s*(\d{1,2})\s*月(?![份]?\s*\d)", lambda m: f"{next(iter(years))}年{m.group(1)}月",
                      text)
    # 截至2026年10月31日: the month's last day is the month (the data is monthly); a date compared with one
    # (早于2026年7月31日 / 2026年7月31日以前) stays a day
    text = re.sub(r"(?<!早于)(?<!晚于)(?<!早过)(?<!晚过)(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
                  r"(?!\s*(?:及|或)?(?:之前|以前|前|之后|以后|后))",
                  lambda m: f"{m.group(1)}年{m.group(2)}月" if 1 <= int(m.group(2)) <= 12 and int(m.group(3)) ==
                  calendar.monthrange(int(m.group(1)), int(m.group(2)))[1] else m.group(0), text)
    text = re.sub(r"((?:手机银行|APP|app|网银)?)\s*(?:在)?(?:1个月(?:里|内|中)|整月|整个月|全月)(?=[^，,。？?]{0,8}(?:没|未|从不|都没))",
                  r"当月\1", text)   # 一个月里一次都没登过 / 手机银行整月一次都没登录
    # 在所有持有基金的客户当中: those customers (所有 there is not everyone)
    text = re.sub(r"(?:在)?(?:所有|全部)(?=[^，,。？?所全]{1,12}?的(?:客户|人)(?:当中|之中|中|里|里面))", "", text)
    text = re.sub(r"(?:写|填|标|记|登记)的是|(?:被)?(?:标成|标为|标记为|标记成|记为|写成)", "为", text)   # 阶段写的是“忠诚客户”
    text = re.sub(r"[、，,]?\s*刚?过线的?", "", text)   # 资产最少、刚过线的那3位: the tier's bound, said again
    text = re.sub(r"刚(?=过|超过|满|到|达到)", "", text)   # 总资产刚过100万
    text = re.sub(r"以前\s*[（(]\s*含当[日天]\s*[）)]", "及以前", text)   # 2020年1月1日以前（含当日）
    text = re.sub(r"[（(]\s*不含当[日天]\s*[）)]", "", text)   # …以前（不含当日）: 以前 leaves the day out already
    text = re.sub(r"所占(?=的?份额)", "占", text)   # 在全行总资产中所占的份额
    text = re.sub(r"(?<![支维坚])持(?=存款|理财|基金|保险)", "持有", text)   # 持基金的: holding it
    text = re.sub(r"再算(?:1|一)遍|重新算(?:1|一)?遍?", "", text)   # 换成三线城市再算一遍
    text = re.sub(r"(以下|以上|之间)\s*(?:这个|这一)?区间", r"\1", text)   # 处于10万以下区间
    # 以支行名称中所含城市为口径 / 网点名里的城市: the city as the data has it (inside branch names)
    text = re.sub(r"(?:以)?(?:支行|网点)名(?:称|字)?(?:中|里)(?:所含|包含|含有|所在)?的?城市(?:为口径|为准)?", "城市", text)
    text = re.sub(r"(?:本|这个|上个?)季度的?(汇报|报告|经营分析|例会|总结)", r"\1", text)   # 本季度汇报需要…
    text = re.sub(r"(?:产品)?渗透(?:情况|水平|程度)", "持有情况", text)   # 产品渗透情况: which products are held
    text = re.sub(r"(\d{4})\s*年的?(?:最后1个月|最末1个月|末月)", r"\1年12月", text)   # 2025年最后一个月
    text = re.sub(r"(?:今年)?年初的?\s*1\s*月份?", "今年1月", text)   # 年初1月份: this year's January
    if re.search(r"哪(?:个|一个)?月", text):   # 今年以来哪个月最低: the months since January, one of them asked for
        text = re.sub(r"(今年以来|年初以来|今年)(?!\s*(?:以来)?\s*(?:每|各|\d))", "今年以来每月", text, count=1)
        text = re.sub(r"(20\d{2})\s*年(?!\s*(?:全年|整年|每|各|\d{1,2}\s*月))", r"\1年全年", text, count=1)   # 2025年哪个月
    text = re.sub(r"(\d)\s*周岁", r"\1岁", text)
    text = re.sub(r"(?<![登])登(?=过)", "登录", text)   # 手机银行登过一次
    text = re.sub(r"只有\s*(?:1|一)\s*([样种类个款])\s*产品", r"只持有1\1产品", text)   # 只有一样产品的客户: one product held
    # 普通、潜力、临界、高净值这四档，各档…: how many groups were just listed
    text = re.sub(r"(?:这|那)\s*(?:\d+|[两三四五六七八九十]+)\s*(?:档|类|种|级|个等级|个阶段)\s*[，,]?\s*(?=各|每)", "", text)
    # 人均多跑几趟网点 / 少登录几次手机银行: the gap in a count of visits or logins
    text = re.sub(r"([多少])(?:跑|去|来|到)?了?(几|多少)\s*[趟次回]\s*(?:网点|营业厅)", r"网点到访次数\1\2次", text)
    text = re.sub(r"([多少])(?:登|登录|登陆)了?(几|多少)\s*次\s*(?:手机银行|APP|app)", r"手机银行登录次数\1\2次", text)
    text = re.sub(r"(?<=高净值)(?:客户)?大户|大户(?=[（(]\s*(?:我指|即|就是)?\s*高净值)", "", text)   # 高净值大户
    text = re.sub(r"(?<!到)(?:还)?(?:没有|没|未)(?:到|达到|够)(?=\s*\d)", "不到", text)   # 总资产还没到50万 (not 到没到八成)
    if re.search(r"前\s*\d+|排", text):   # 前六的头部客户 / 排前三的城市，按顺序报一下，头部三城: the ranking, said again
        text = re.sub(r"[，,]?\s*头部\s*(?:\d+|[一二两三四五六七八九十]+)?\s*(?:城|家|个|位)?[呢吧]?(?=\s*(?:[，,。？?！!]|$))"
                      r"|头部(?=客户|城市|网点|\d)", "", text)
        text = re.sub(r"按顺序(?=报|列|排|说|给)|依次(?=报|列|说|给)", "", text)
    if re.search(r"今年以来|年初以来", text):   # 今年以来每个月…，1月到10月: the months since January, said again
        text = re.sub(r"[，,。？?]\s*(?:今年)?1\s*月\s*(?:到|至|-|~)\s*\d{1,2}\s*月(?=[，,。？?]|$)", "", text)
    text = re.sub(r"去年(?:的)?同(?:1|一)个?月(?:份)?", "去年同期", text)   # 跟去年同一个月比
    text = re.sub(r"多少个百分点", "几个百分点", text)
    # 月收入有多分散: the spread of a figure is its standard deviation
    text = re.sub(r"(?:有)?多(?:分散|离散)|离散程度|分散程度", "" if "标准差" in text else "标准差", text)
    # 最近一次（客户经理）联系结果: the last contact
    text = re.sub(r"(?:客户经理|理财经理)的?(?=\s*(?:最近|最后|上\s*1\s*次|上次))", "", text)   # 按客户经理最近一次联系的结果
    text = re.sub(r"(?:最近|最后|上)\s*1\s*次的?(?:客户经理|理财经理|经理)?的?(?=联系|触达|外呼|营销)", "最近", text)
    text = re.sub(r"(?:排名|排在)?最后\s*(?=\d+\s*[位名个家])", "倒数", text)   # 排名最后三位的网点: the bottom three
    text = re.sub(r"(?<![以之然最此])后\s*(?=\d+\s*(?:[位名家]|是|[，,。？?]|$))", "倒数", text)   # 后五名: the bottom five
    # 前三的网点是哪三家: the ranking's count said again (without a 前N, 是哪三个 says it)
    text = re.sub(r"((?:前|倒数)\s*(\d+)[^？?。]*?)哪\s*(\2|几)\s*[家个类种档段所](?=\s*(?:[？?。，,！!]|呢|啊|$))", r"\1哪些", text)
    text = re.sub(r"(?i)\bbottom\s*(\d+)", r"倒数前\1名", text)   # Bottom 3
    # 人均资产最低的是哪三类 / 最高的3家: the count of a ranking said after 最
    text = re.sub(r"(最(?:高|低|多|少|大|小)的)\s*(?:是)?\s*(?:哪\s*(\d+)\s*([个类家种位档段组])|(\d+)\s*([类家种档段组]))",
                  lambda m: f"{m.group(1)}前{m.group(2) or m.group(4)}{m.group(3) or m.group(5)}", text)
    text = re.sub(r"哪一(?=城市|网点|支行|职业|年龄段|阶段|等级)", "哪个", text)   # 哪一城市居首
    text = re.sub(r"(?i)\b(?:what|how)\s+about\s+(.+?)\s*[?？]?$", r"那\1呢", text)   # What about 未婚客户？
    text = re.sub(r"(?:给我)?(?:一|1)\s*条(?=月度|序列|曲线|趋势|时间序列)", "", text)   # 给我一条月度序列
    text = re.sub(r"分\s*(?:一下|下|1下|个|1个)\s*群", "分群", text)   # 把客户分一下群
    text = _SAME_BOUND.sub(r"\1及\2", text)   # 65岁和65岁以上: one bound, both sides
    # 武汉的 不对 南京的 / 60岁 哦不对 65岁: a dictated self-correction; the word before it is withdrawn
    # 哦我说错了，是宜昌西陵支行 opening a turn corrects the last question: a swap (换成…)
    text = re.sub(r"^\s*(?:嗯+|呃+|啊+)?\s*[，,]?\s*(?:(?:麻烦(?:你)?|请)?(?:帮我)?(?:看一下|查一下)?)\s*[，,]?\s*"
                  r"(?:哦|噢|啊|呃|哎)?\s*[，,]?\s*(?:我)?(?:说错了|搞错了|不对)\s*[，,]?\s*(?:应该)?是\s*", "换成", text)
    text = _SELF_CORRECTION.sub(" ", _TRAILING_OFF.sub("", _withdrawn(_NOT_GROUPED.sub("", text))))
    if re.search(r"不要|不算|除了|除外|剔除", text):   # …上海的不要…哦不对，上海的要: kept, as everyone not left out is
        text = re.sub(r"[，,]\s*[^，,。？?]{1,8}?的(?:还是)?(?:要|算|保留|留着)(?:的)?(?=\s*[，,。]|$)", "", text)
    # 难道是传统行业的两倍以上？到底是几倍 / 高净值客户难道还不到一千个吗: a guess is no condition; the figure answers it
    text = _claim_checked(_hedges_dropped(text))
    text = _HAS_DEFINED.sub(_has_defined, text)
    # order by 月交易金额 desc limit 5 / 再加一个filter：已婚: SQL and BI words said in Chinese
    text = re.sub(r"(?i)\border\s+by\s+(\S+?)\s+(desc|asc)\b", lambda m: f"按{m.group(1)}" + (
        "从高到低" if m.group(2).lower() == "desc" else "从低到高"), text)
    text = re.sub(r"(?i)\blimit\s*(\d+)", r"前\1名", text)
    text = re.sub(r"从最(?:低|少|小)的?(?:那个|那家)?开始往上(?:列|排)?", "从低到高", text)   # 从最低的开始往上列
    text = re.sub(r"从最(?:高|多|大)的?(?:那个|那家)?开始往下(?:列|排)?", "从高到低", text)
    text = re.sub(r"(?i)(?:^|(?<=[，,]))\s*(?:再|另外)?(?:加|添)(?:上)?(?:一个|1个)?\s*(?:filter|过滤条件|筛选条件|条件)\s*[:：，,]?",
                  "其中", text)
    # 交叉持有指持有两种及以上产品: the definition this project uses, said again
    text = re.sub(r"[，,。；;]?\s*(?:这里|此处)?\s*(?:的)?交叉持有(?:率)?\s*(?:是)?(?:指|即|定义为|就是)\s*(?:持有)?\s*"
                  r"(?:两|2)\s*种及以上(?:的)?(?:产品)?(?:的客户)?", "", text)
    # 冷静期为0、可以营销的: the asker's gloss on the condition just said
    text = re.sub(r"(冷静期[^，,。？?]{0,6}?(?:为0|已过|结束了?|已经为0|是0))[、，,]?\s*(?:可以|能|可)营销的?", r"\1的", text)
    # 理财在不同职业类型客户里的渗透率: the product's rate within those customers
    text = re.sub(r"(存款|理财|基金|保险)在([^，,。？?]{1,16}?)(?:里|中|当中)的(渗透率|持有率|覆盖率)", r"\2的\1\3", text)
    text = _NAME_DEFINED.sub(_name_defined, _conditions_framed(text))
    text = re.sub(r"在(?:手机银行|APP|app)\s*(?:上|里)?\s*(?=做|看|浏览|进行)", "", text)   # 在手机银行做过…: where, not a measure
    text = _COMPARES_SAID.sub(_compares_said, text)
    # 看理财一共花了多少分钟 / 人均浏览了多少分钟: the viewing time, asked in minutes
    text = re.sub(r"(?:(?:看|浏览)了?理财(?:产品|页面)?)?\s*(一共|总共|共|平均|人均)?\s*(?:花了|用了|浏览了|看了|浏览|看)\s*(?:多少|几)\s*分钟",
                  lambda m: (m.group(1) or "") + "理财浏览时长", text)
    text = re.sub(r"严格(?=小于|大于|低于|高于|少于|多于|超过|不到|<|>)", "", text)   # 严格小于: 小于 is already strict
    text = _difference_order(_SIGN_SAID.sub("", _GROUPS_COUNTED.sub(
        lambda m: "各" if re.search(r"各|每", m.group()) else "", text)))
    # 信用卡当月消费 / 手机银行本月登录: the month said inside the measure's name
    text = re.sub(r"(信用卡|手机银行|APP|app)\s*(当月|本月|这个月)\s*(?=消费|刷卡|登录|登陆)", r"\2\1", text)
    # 把上海的两家支行（浦东、静安）去掉: the branches left out, as listed in the bracket
    text = re.sub(r"((?:把|剔除|排除|除了|除去|去掉|不含|不包括)\s*)[\u4e00-\u9fff]{2,3}的?(?:2|3|4|两|几)家(?:支行|网点)\s*"
                  r"[（(]\s*([^（）()，,]{2,12}(?:[、和及与/][^（）()，,]{2,12})+)\s*[）)]", r"\1\2", text)
    # 按城市算（浦东、静安都算上海）: how branches fall into cities, which the city grouping does anyway
    if re.search(r"(?:按|各|每个?|哪(?:个|几个|些|\d+个)?)\s*城市(?!等级|级别)", text):
        text = re.sub(r"[（(][^（）()]{1,20}?(?:都|均|也)?(?:算|算作|算成|归为|归入|计入|并入|算在|算到)\s*[^（）()]{1,6}?(?:里|内|头|名下)?[）)]",
                      "", text)
    # 按城市等级和性别交叉…，比如一线城市的男客户、女客户各几个: an example of the groups, not a filter
    if re.search(r"按|各|每|交叉", text):
        text = re.sub(r"[，,]\s*(?:比如|例如|譬如|举个例子)[^，,。？?；;（）()]*", "", text)
        # …交叉统计客户数，所有组合都要: every cell of the table (no product combination)
        text = re.sub(r"[，,]?\s*(?:所有|全部|每个|每1个|各个?)的?(?:组合|格子|单元格)(?:里面|里|中)?(?:都要|都列出来|都列|都给|都算|都要列)?",
                      "，", text)
    # 多了说多了，少了说少了 / 谨慎起见确认一个数： / （5000整的不算） after 超过: how to say it, and the bound's own end
    text = re.sub(r"(?:[，,。]?\s*(?:多|少|涨|跌|增|减)了(?:就)?说(?:多|少|涨|跌|增|减)了){1,2}", "", text)
    text = re.sub(r"(?:为了)?谨慎起见[，,]?\s*(?:先)?(?:确认|核实|核对)?(?:一下|1下)?(?:一个数|1个数)?\s*[:：，,]?", "", text)
    if re.search(r"超过|大于|高于|多于", text):
        text = re.sub(r"[（(]\s*(?:正好|刚好|恰好)?\d+(?:\.\d+)?\s*(?:元|万|次|笔|岁)?\s*整?的?(?:不算|不含|不包括)(?:在内)?\s*[）)]", "", text)
    # 复盘流失风险用： / 绩效复盘： / PPT上要放一页“…”: what the figures are for, said as a heading
    text = re.sub(r"^\s*(?:做|为了)?[^，,。？?：:]{0,8}?(?:复盘|汇报|PPT|ppt|周报|月报|材料|报告)[^，,。？?：:]{0,6}?(?:用)?\s*[:：]\s*", "", text)
    text = re.sub(r"(?:PPT|ppt|报告|材料|周报|月报)(?:上|里)?(?:要|准备)?放(?:1|一)页\s*[“\"「]?([^”\"」]+)[”\"」]?", r"\1", text)
    # 给我一张各网点…的表，15家网点都要列出来，没有的填0 / 给我一个四个点的序列: the shape of the answer
    text = re.sub(r"(?:给我|出|做|来)?(?:1|一)张\s*([^，,。？?]{2,30}?)的?表(?=[，,。？?]|$)", r"\1", text)
    text = re.sub(r"[，,]?\s*没有的?(?:就)?(?:填|补|写|记)(?:成|为)?\s*0", "", text)
    # 各职业类型理财持有率…，每个职业类型给一个比例: the rate just named, one per group
    text = re.sub(r"(?:给|报|出)(?:我)?(?:1个|一个)(?:比例|占比)" if "率" in text else r"(?:给|报|出)(?:我)?(?:1个|一个)(?=比例|占比)",
                  "", text)
    text = re.sub(r"[，,]?\s*(?:给我)?(?:1个|一个)?(?:\d+|四|几)个点的(?:序列|曲线|折线)", "", text)
    # 30岁以下到60岁及以上五档各是多少: every age band, listed by its ends
    text = re.sub(r"[，,]?\s*\d+岁以下(?:到|至|~)\d+岁及以上(?:这)?(?:\d+|五|几)档", "", text)
    # 活跃客户和不活跃客户比，人均资产差多少: the first group against the second
    text = re.sub(r"([^，,。？?]{2,12}?)(?:和|与|跟)([^，,。？?]{2,12}?)(?:相)?比(?:较)?(?:一下)?[，,]\s*"
                  r"(?=[^，,。？?]*(?:差|高|低|多|少)(?:了)?(?:多少|几))", r"\1比\2", text)
    # 两个数一起报我 / 连金额一起报一下: every figure asked is answered, and a list shows its values
    text = re.sub(r"[，,。]?\s*(?:(?:这)?(?:2|两)个数|连\s*(?:金额|数值|数字|资产|具体数(?:字)?|数))?\s*(?:一起|一块儿?|一并|同时)"
                  r"(?:报|给|告诉|发|列)(?:我|给我)?(?:一下|下|出来)?", "", text)
    # 前8个客户号: the customers, with their ids (a list always shows them)
    text = re.sub(r"(\d+\s*[个位名])客户(?:号|编号|ID|id)", r"\1客户", text)
    # 高净值客户里资产最少的5个，也就是刚跨过100万门槛的: the tier's threshold, said again
    text = re.sub(r"[，,]\s*(?:也就是|即|就是)(?:说)?\s*(?:刚)?(?:跨过|迈过|越过|超过|过|达到|踩着)[^，,。？?]{0,10}?门槛(?:线)?(?:的)?"
                  r"(?:那些|那批|那几个)?(?:客户|人)?", "", text)
    text = _CROSS_TABLE.sub(lambda m: f"按{m.group(1)}和{m.group(2)}，" if m.group(1) else "", text)
    text = _GUESSED_TOP.sub(r"\1是哪个", _THAT_TOP.sub(r"\1的", text))
    text = _ASKED_AGAIN.sub("", _GUESS.sub("", _GUESSED_MULTIPLE.sub(r"是\1的几倍", text)))
    # …有多少个？这批人外呼名单里要先剔掉。: what the figure is for, after the question (no list is asked for)
    text = re.sub(r"(?<=[？?])\s*(?:这批人|这些人|这批客户|这些客户|他们|她们|这部分人)?[^？?。！!]{0,14}?(?:名单|外呼|营销|回访)"
                  r"[^？?。！!]{0,8}?(?:要|准备|打算|得|需要|会)(?:先|都)?(?:剔掉|剔除|排除|去掉|拿掉|跟进|联系|打电话|回访|重点跟)"
                  r"[^？?。！!]{0,8}?[呢吧啊]?[。.!！？?]*$", "", text)
    # …，帮我列一下，要马上安排客户经理去挽留: what the list is for, said after it
    text = re.sub(r"[，,]\s*(?:要|准备|打算|得|好|我们?要)?(?:马上|尽快|赶紧|立刻)?(?:安排|让|叫|派)[^，,。？?]{0,10}?(?:去|来)?"
                  r"(?:挽留|跟进|回访|联系|外呼|营销|拜访)[^，,。？?]{0,6}[。.!！？?]?$", "", text)
    # 嗯 换成静安: a follow-up still starts where its words start (啊啊啊 alone stays, and is not understood)
    text = _LEADING_FILLER.sub("", text) or text
    return re.sub(r"\s+", " ", text).strip()

