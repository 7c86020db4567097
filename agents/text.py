"""Normalising a Chinese question before planning: width, traditional characters, numerals."""
from __future__ import annotations

import re
import unicodedata

# Traditional → simplified for the characters business questions use.
_T2S = str.maketrans(
    "戶資產總數齡級組薦預測勢險額規們銀網點訪問與來個億萬歲類別傾劃動際對應該麼樣嗎為這請線頻關聯係變業務經營機會員職淨價帳號儲購復買賣幾餘畫報達議隨時間區東廣漢車門開發長離異輕歷圖佔較從將於過還進選證據統計設覽導讓談說話講認識讀寫護醫師財貨單確實齊歡裡剛協趨夠難標準錢構結層細潛風興處歸紅綠質權債頁顯視驗幣優惠貸款盤兩屬",
    "户资产总数龄级组荐预测势险额规们银网点访问与来个亿万岁类别倾划动际对应该么样吗为这请线频关联系变业务经营机会员职净价账号储购复买卖几余画报达议随时间区东广汉车门开发长离异轻历图占较从将于过还进选证据统计设览导让谈说话讲认识读写护医师财货单确实齐欢里刚协趋够难标准钱构结层细潜风兴处归红绿质权债页显视验币优惠贷款盘两属",
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# "哪一类", "某一位", "统一": after these characters 一 is part of a word, not a number.
_NUMERAL = re.compile(r"(?<![哪某统单唯同第])[零〇一二两三四五六七八九十百千]+(?=[个名位岁年月季天条家类%万以之到至\-~种笔次大的强成户人]|$)")


def chinese_number(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


#: 一二三线城市 -> 一线、二线、三线城市: a run of levels written once.
_LEVELS = re.compile(r"([一二三四五六七八九])([一二三四五六七八九])([一二三四五六七八九])?线")


def normalize(question: str) -> str:
    text = unicodedata.normalize("NFKC", question or "").translate(_T2S)
    text = _LEVELS.sub(lambda m: "、".join(f"{c}线" for c in m.groups() if c), text)
    text = text.replace("半年", "6个月").replace("一年", "12个月")
    text = _NUMERAL.sub(lambda m: str(chinese_number(m.group())), text)
    return re.sub(r"\s+", " ", text).strip()

